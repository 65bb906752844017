#include "storage/compactor.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <vector>

#include "common/thread_name.h"
#include "storage/key_codec.h"
#include "storage/meta_codec.h"
#include "storage/segment_format.h"

namespace kumo::storage {

Compactor::Compactor(const StoreContext* ctx, std::function<void()> periodic)
    : ctx_(ctx), periodic_(std::move(periodic)) {
  if (ctx_->options.compaction_interval_ms > 0)
    thread_ = std::thread([this] {
      SetThreadName("kumo-compactor");
      Run();
    });
}

Compactor::~Compactor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Compactor::Run() {
  const auto period = std::chrono::milliseconds(ctx_->options.compaction_interval_ms);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, period, [&] { return stop_; })) {
    lock.unlock();
    Status s = CompactNow();
    if (!s.ok()) spdlog::warn("storage: compaction: {}", s.ToString());
    if (periodic_) periodic_();
    lock.lock();
  }
}

Status Compactor::CompactNow() {
  std::lock_guard<std::mutex> lock(run_mu_);
  Status first;
  for (uint64_t id : ctx_->segments->CompactionCandidates(ctx_->options.compaction_dead_ratio)) {
    Status s = CompactSegment(id);
    if (!s.ok()) {
      spdlog::warn("storage: compacting segment {}: {}", id, s.ToString());
      if (first.ok()) first = s;
    }
  }
  return first;
}

Result<bool> Compactor::IsLive(const std::string& ikey, const Extent& where) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, ctx_->index->Get(ctx_->index->objects(), ikey, &value));
  if (!found) return false;
  ObjectMeta meta;
  if (!DecodeObjectMeta(value, &meta)) return Status::Corruption("bad object record");
  for (const Extent& e : meta.extents) {
    if (e.packed && e.file_id == where.file_id && e.offset == where.offset &&
        e.length == where.length) {
      return true;
    }
  }
  return false;
}

Status Compactor::CompactSegment(uint64_t id) {
  KUMO_ASSIGN_OR_RETURN(std::shared_ptr<BlobFile> file, ctx_->segments->GetFile(id));
  if (!file) return Status::OK();  // already gone
  KUMO_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  SegmentScanner scanner(file, size);
  std::vector<std::unique_ptr<GroupCommitter::Request>> pending;
  uint64_t pending_bytes = 0;
  for (;;) {
    SegmentScanner::Record rec;
    KUMO_ASSIGN_OR_RETURN(SegmentScanner::State state, scanner.Next(&rec));
    // A torn tail is a batch that never reached the index: garbage by definition.
    if (state == SegmentScanner::State::kEnd || state == SegmentScanner::State::kTorn) break;
    if (state == SegmentScanner::State::kCorrupt) {
      return Status::Corruption("bad record header at offset " + std::to_string(rec.offset));
    }
    Extent where{id, rec.data_offset, rec.data.size(), true};
    KUMO_ASSIGN_OR_RETURN(bool live, IsLive(rec.key, where));
    if (!live) continue;
    if (!rec.crc_ok) {
      return Status::Corruption("live record with bad checksum at offset " +
                                std::to_string(rec.offset));
    }
    auto r = std::make_unique<GroupCommitter::Request>();
    r->mutation.op = Mutation::Op::kRelocate;
    r->mutation.ikey = std::move(rec.key);
    r->mutation.expected = where;
    r->data = std::move(rec.data);
    pending_bytes += rec.size;
    pending.push_back(std::move(r));
    if (pending_bytes >= kRelocateBatchBytes) {
      KUMO_RETURN_IF_ERROR(Relocate(&pending));
      pending_bytes = 0;
    }
  }
  KUMO_RETURN_IF_ERROR(Relocate(&pending));
  // Nothing in the index points into the segment any more: records that were live at
  // scan time have moved, and a sealed segment never gains new references.
  return DropSegment(id);
}

Status Compactor::Relocate(std::vector<std::unique_ptr<GroupCommitter::Request>>* requests) {
  if (requests->empty()) return Status::OK();
  std::vector<GroupCommitter::Request*> raw;
  raw.reserve(requests->size());
  for (auto& r : *requests) raw.push_back(r.get());
  ctx_->committer->Submit(raw);
  for (auto* r : raw) KUMO_RETURN_IF_ERROR(r->mutation.status);
  requests->clear();
  return Status::OK();
}

Status Compactor::DropSegment(uint64_t id) {
  rocksdb::WriteBatch batch;
  batch.Delete(ctx_->index->segments(), EncodeFileId(id));
  KUMO_RETURN_IF_ERROR(ctx_->index->Write(&batch));
  ctx_->segments->Remove(id);
  // A crash before the unlink leaves a file that no index entry knows: recovery deletes it.
  return RemoveFile(ctx_->BlobPath(true, id));
}

}  // namespace kumo::storage
