#include "storage/index.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>

#include <algorithm>

#include "storage/coding.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

constexpr uint64_t kFileIdBlock = 4096;
constexpr size_t kBlockCacheBytes = 64 << 20;

// Adds int64 counter vectors element-wise, so hot accounting (segment dead bytes, object
// count) is written as blind deltas in the commit batch instead of read-modify-write.
// kMetaEventSeqHigh keeps the element-wise maximum instead: batches that commit out of
// sequence order must not lower it.
class CounterAddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger* /*logger*/) const override {
    const bool max = std::string_view(key.data(), key.size()) == kMetaEventSeqHigh;
    std::vector<int64_t> sum;
    if (existing != nullptr) sum = DecodeCounters({existing->data(), existing->size()});
    std::vector<int64_t> delta = DecodeCounters({value.data(), value.size()});
    if (sum.size() < delta.size()) sum.resize(delta.size(), 0);
    for (size_t i = 0; i < delta.size(); ++i) {
      sum[i] = max ? std::max(sum[i], delta[i]) : sum[i] + delta[i];
    }
    *new_value = EncodeCounters(sum);
    return true;
  }
  const char* Name() const override { return "kumo.CounterAdd"; }
};

}  // namespace

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption("index: " + s.ToString());
  return Status::IOError("index: " + s.ToString());
}

Result<std::unique_ptr<Index>> Index::Open(const std::string& path, bool sync) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 4;
  db_options.keep_log_file_num = 4;
  // Restart time is WAL replay time (restart with 1M objects indexed must serve within
  // 2 s). Column families written rarely (buckets, segments, meta) otherwise keep the
  // first WAL alive forever, and every restart replays everything since it: with a total
  // WAL cap, RocksDB flushes the column families that pin the oldest log instead. 64 MiB
  // replays in about 0.3 s here; the hot column families flush at 64 MiB anyway.
  db_options.max_total_wal_size = 64 << 20;
  // The replayed memtables stay in memory (their WAL is kept) instead of being written
  // out as level-0 tables before Open returns: that work happens later, in the
  // background, while kumod serves.
  db_options.avoid_flush_during_recovery = true;

  auto cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  rocksdb::ColumnFamilyOptions plain;
  plain.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  rocksdb::ColumnFamilyOptions counters = plain;
  counters.merge_operator = std::make_shared<CounterAddOperator>();

  // objects is the hot CF: point lookups on every GET/HEAD/PUT, so a bloom filter saves
  // disk reads for absent keys. No compression: values are short records dominated by
  // hex ETags and numbers, keys are already prefix-delta-encoded within blocks, and the
  // CPU is better spent on request handling than on a few percent of index size.
  rocksdb::BlockBasedTableOptions objects_table = table;
  objects_table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions objects = plain;
  objects.table_factory.reset(rocksdb::NewBlockBasedTableFactory(objects_table));
  objects.compression = rocksdb::kNoCompression;

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{rocksdb::kDefaultColumnFamilyName, plain},
                                                      {"buckets", plain},
                                                      {"objects", objects},
                                                      {"users", plain},
                                                      {"segments", counters},
                                                      {"extents", plain},
                                                      {"events", plain},
                                                      {"meta", counters},
                                                      {"uploads", plain},
                                                      {"parts", plain},
                                                      {"event_state", plain},
                                                      {"bucket_config", plain}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<Index> index(new Index());
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, cfs, &handles, &index->db_);
  if (!s.ok()) return FromRocks(s);
  index->default_cf_ = handles[0];
  index->cf_.assign(handles.begin() + 1, handles.end());
  index->write_options_.sync = sync;

  KUMO_ASSIGN_OR_RETURN(std::vector<int64_t> limit,
                        index->GetCounters(index->meta(), kMetaFileIdLimit, 1));
  // Ids reserved by the previous run may have been used; start past all of them.
  index->next_id_ = index->id_limit_ = static_cast<uint64_t>(std::max<int64_t>(limit[0], 1));
  return index;
}

Index::~Index() {
  if (db_ == nullptr) return;
  // A clean shutdown writes the memtables out, so the next start has no WAL to replay
  // (otherwise a restart after SIGTERM costs as much as one after kill -9). A failure
  // here loses nothing: the WAL is still there.
  std::vector<rocksdb::ColumnFamilyHandle*> all(cf_);
  all.push_back(default_cf_);
  db_->Flush(rocksdb::FlushOptions(), all).PermitUncheckedError();
  for (auto* h : cf_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->DestroyColumnFamilyHandle(default_cf_).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
  delete db_;
}

Status Index::Write(rocksdb::WriteBatch* batch, bool synced) {
  if (synced || !write_options_.sync) return FromRocks(db_->Write(write_options_, batch));
  rocksdb::WriteOptions buffered = write_options_;
  buffered.sync = false;
  return FromRocks(db_->Write(buffered, batch));
}

Result<bool> Index::Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string* value) {
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf, rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s);
  return true;
}

Result<std::vector<int64_t>> Index::GetCounters(rocksdb::ColumnFamilyHandle* cf,
                                                std::string_view key, size_t n) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, Get(cf, key, &value));
  std::vector<int64_t> out;
  if (found) out = DecodeCounters(value);
  if (out.size() < n) out.resize(n, 0);
  return out;
}

Result<uint64_t> Index::AllocateFileId() {
  std::lock_guard<std::mutex> lock(id_mu_);
  if (next_id_ >= id_limit_) {
    // The limit is written with Put (the meta CF merge operator only sees Merge calls).
    uint64_t limit = next_id_ + kFileIdBlock;
    rocksdb::WriteBatch batch;
    batch.Put(meta(), rocksdb::Slice(kMetaFileIdLimit.data(), kMetaFileIdLimit.size()),
              EncodeCounters({static_cast<int64_t>(limit)}));
    KUMO_RETURN_IF_ERROR(Write(&batch));
    id_limit_ = limit;
  }
  return next_id_++;
}

}  // namespace kumo::storage
