#include "storage/event_log_impl.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "storage/key_codec.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {
rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace

Result<uint64_t> EventLogImpl::LastSequence(Index* index) {
  std::unique_ptr<rocksdb::Iterator> it(
      index->db()->NewIterator(rocksdb::ReadOptions(), index->events()));
  it->SeekToLast();
  KUMO_RETURN_IF_ERROR(FromRocks(it->status()));
  uint64_t seq = 0;
  if (it->Valid() && !DecodeFileId(std::string_view(it->key().data(), it->key().size()), &seq)) {
    return Status::Corruption("bad event key");
  }
  KUMO_ASSIGN_OR_RETURN(std::vector<int64_t> high,
                        index->GetCounters(index->meta(), kMetaEventSeqHigh, 1));
  return std::max<uint64_t>(seq, static_cast<uint64_t>(std::max<int64_t>(high[0], 0)));
}

Result<std::vector<EventRecord>> EventLogImpl::Read(uint64_t after, size_t max) {
  std::vector<EventRecord> out;
  uint64_t limit = sequencer_->Watermark();
  if (after >= limit) return out;
  std::unique_ptr<rocksdb::Iterator> it(
      index_->db()->NewIterator(rocksdb::ReadOptions(), index_->events()));
  std::string start = EncodeFileId(after + 1);
  for (it->Seek(ToSlice(start)); it->Valid() && out.size() < max; it->Next()) {
    EventRecord r;
    if (!DecodeEventRecord(std::string_view(it->value().data(), it->value().size()), &r)) {
      // Passed over, not returned as an error: one damaged record must not stop every
      // handler behind it for good.
      uint64_t seq = 0;
      DecodeFileId(std::string_view(it->key().data(), it->key().size()), &seq);
      if (seq > limit) break;
      spdlog::error("storage: event record {} is unreadable; handlers pass over it", seq);
      continue;
    }
    if (r.seq > limit) break;
    out.push_back(std::move(r));
  }
  KUMO_RETURN_IF_ERROR(FromRocks(it->status()));
  return out;
}

Result<EventRecord> EventLogImpl::Get(uint64_t seq) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, index_->Get(index_->events(), EncodeFileId(seq), &value));
  if (!found) return Status::NoSuchKey("no event with sequence " + std::to_string(seq));
  EventRecord r;
  if (!DecodeEventRecord(value, &r)) return Status::Corruption("bad event record");
  return r;
}

Result<size_t> EventLogImpl::TrimBefore(int64_t cutoff_ms) {
  // Records are in sequence order, which is commit-time order up to the in-flight
  // window, so the scan stops at the first record young enough to keep.
  std::unique_ptr<rocksdb::Iterator> it(
      index_->db()->NewIterator(rocksdb::ReadOptions(), index_->events()));
  rocksdb::WriteBatch batch;
  size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    EventRecord r;
    if (!DecodeEventRecord(std::string_view(it->value().data(), it->value().size()), &r)) break;
    if (r.time_ms >= cutoff_ms) break;
    batch.Delete(index_->events(), it->key());
    ++n;
  }
  KUMO_RETURN_IF_ERROR(FromRocks(it->status()));
  if (n > 0) KUMO_RETURN_IF_ERROR(index_->Write(&batch));
  return n;
}

Status EventLogImpl::PutState(std::string_view key, std::string_view value, bool synced) {
  rocksdb::WriteBatch batch;
  batch.Put(index_->event_state(), ToSlice(key), ToSlice(value));
  return index_->Write(&batch, synced);
}

Status EventLogImpl::PutStates(const std::vector<std::pair<std::string, std::string>>& entries,
                               bool synced) {
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : entries) {
    batch.Put(index_->event_state(), ToSlice(key), ToSlice(value));
  }
  return index_->Write(&batch, synced);
}

Result<std::optional<std::string>> EventLogImpl::GetState(std::string_view key) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, index_->Get(index_->event_state(), key, &value));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

Status EventLogImpl::DeleteState(std::string_view key) {
  rocksdb::WriteBatch batch;
  batch.Delete(index_->event_state(), ToSlice(key));
  return index_->Write(&batch);
}

Status EventLogImpl::DeleteStates(const std::vector<std::string>& keys, bool synced) {
  rocksdb::WriteBatch batch;
  for (const auto& key : keys) batch.Delete(index_->event_state(), ToSlice(key));
  return index_->Write(&batch, synced);
}

Result<std::vector<std::pair<std::string, std::string>>> EventLogImpl::ScanState(
    std::string_view prefix, size_t max) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      index_->db()->NewIterator(rocksdb::ReadOptions(), index_->event_state()));
  for (it->Seek(ToSlice(prefix)); it->Valid() && out.size() < max; it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (k.substr(0, prefix.size()) != prefix) break;
    out.emplace_back(std::string(k), it->value().ToString());
  }
  KUMO_RETURN_IF_ERROR(FromRocks(it->status()));
  return out;
}

}  // namespace kumo::storage
