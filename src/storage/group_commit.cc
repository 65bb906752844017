#include "storage/group_commit.h"

#include <array>
#include <set>

#include "common/thread_name.h"
#include "storage/segment_format.h"

namespace kumo::storage {

GroupCommitter::GroupCommitter(std::string blobs_dir, uint64_t segment_target_bytes, bool sync,
                               Index* index, SegmentTable* segments, IndexWriter* index_writer)
    : blobs_dir_(std::move(blobs_dir)),
      segment_target_bytes_(segment_target_bytes),
      sync_(sync),
      index_(index),
      segments_(segments),
      index_writer_(index_writer),
      thread_([this] {
        SetThreadName("kumo-commit");
        Run();
      }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
  if (file_) segments_->Seal(file_id_);
}

void GroupCommitter::Submit(const std::vector<Request*>& requests) {
  if (requests.empty()) return;
  Waiter waiter;
  waiter.pending = requests.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Request* r : requests) {
      r->waiter = &waiter;
      queue_.push_back(r);
    }
  }
  work_cv_.notify_one();
  std::unique_lock<std::mutex> lock(waiter.mu);
  waiter.cv.wait(lock, [&] { return waiter.pending == 0; });
}

uint64_t GroupCommitter::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

void GroupCommitter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and drained
    std::vector<Request*> batch;
    uint64_t bytes = 0;
    while (!queue_.empty() && (batch.empty() || bytes < kMaxBatchBytes)) {
      bytes += queue_.front()->data.size();
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    ++batches_;
    lock.unlock();
    ProcessBatch(batch);
    for (Request* r : batch) {
      // Notified under waiter->mu: the submitter cannot see pending reach 0, return and
      // destroy the waiter before notify_one is done with it. Neither r nor its waiter may
      // be touched once pending is 0.
      Waiter* w = r->waiter;
      std::lock_guard<std::mutex> done(w->mu);
      if (--w->pending == 0) w->cv.notify_one();
    }
    lock.lock();
  }
}

Status GroupCommitter::Roll() {
  KUMO_ASSIGN_OR_RETURN(uint64_t id, index_->AllocateFileId());
  KUMO_ASSIGN_OR_RETURN(auto file, BlobFile::Create(blobs_dir_ + "/" + BlobName(true, id)));
  // The name must be durable before any index record points into the file.
  if (sync_) KUMO_RETURN_IF_ERROR(SyncDir(blobs_dir_));
  segments_->AddOpen(id, file);
  file_ = std::move(file);
  file_id_ = id;
  file_size_ = 0;
  return Status::OK();
}

void GroupCommitter::ProcessBatch(const std::vector<Request*>& batch) {
  struct Run {
    std::shared_ptr<BlobFile> file;
    uint64_t offset = 0;
    std::vector<iovec> iov;
  };
  std::vector<std::array<char, kRecordHeaderSize>> headers(batch.size());
  std::vector<Run> runs;
  std::vector<uint64_t> rolled_from;  // sealed only once this batch is indexed
  Status st;
  for (size_t i = 0; i < batch.size() && st.ok(); ++i) {
    Request* r = batch[i];
    Mutation& m = r->mutation;
    uint64_t size = RecordSize(m.ikey.size(), r->data.size());
    if (!file_ || (file_size_ > 0 && file_size_ + size > segment_target_bytes_)) {
      if (file_) rolled_from.push_back(file_id_);
      file_.reset();
      st = Roll();
      if (!st.ok()) break;
    }
    if (runs.empty() || runs.back().file != file_) runs.push_back({file_, file_size_, {}});
    EncodeRecordHeader(m.ikey, r->data, headers[i].data());
    auto& iov = runs.back().iov;
    iov.push_back({headers[i].data(), kRecordHeaderSize});
    iov.push_back({m.ikey.data(), m.ikey.size()});
    iov.push_back({r->data.data(), r->data.size()});
    m.meta.extents = {
        Extent{file_id_, file_size_ + kRecordHeaderSize + m.ikey.size(), r->data.size(), true}};
    m.new_record_bytes = size;
    file_size_ += size;
  }
  for (size_t i = 0; i < runs.size() && st.ok(); ++i) {
    st = runs[i].file->WriteVAt(runs[i].offset, &runs[i].iov);
  }
  for (size_t i = 0; i < runs.size() && st.ok() && sync_; ++i) st = runs[i].file->DataSync();

  if (st.ok()) {
    std::vector<Mutation*> mutations;
    mutations.reserve(batch.size());
    for (Request* r : batch) mutations.push_back(&r->mutation);
    index_writer_->Apply(mutations);
  } else {
    for (Request* r : batch) {
      r->mutation.status = st;
      r->mutation.applied = false;
    }
    // The tail of this segment is unknown now; start a fresh one next time.
    if (file_) rolled_from.push_back(file_id_);
    file_.reset();
  }
  for (uint64_t id : rolled_from) segments_->Seal(id);
}

}  // namespace kumo::storage
