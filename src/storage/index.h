// Index: the RocksDB instance under index/ and its column families.
//
//   buckets   bucket name -> BucketInfo
//   objects   EncodeObjectKey(bucket, key) -> ObjectMeta (with extents)
//   users     access key -> UserRecord
//   segments  EncodeFileId(seg) -> counters {total bytes, dead bytes} (merge-added)
//   extents   EncodeFileId(ext) -> index key of the object owning that extent file, or
//             PartOwner(upload id, part) for a part of an in-progress upload; lets
//             recovery find unreferenced extent files without scanning all objects
//   events    EncodeFileId(seq) -> EventRecord: the transactional outbox (ARCHITECTURE §3)
//   event_state  dispatcher state: cursors, outcomes, dead letters (opaque to storage)
//   bucket_config  bucket + 0x00 + name -> opaque per-bucket configuration documents
//   meta      kMetaFileIdLimit (fixed64), kMetaStats counters {objects, live bytes},
//             kMetaEventSeqHigh {highest sequence} (merged as a maximum)
//   uploads   in-progress multipart uploads, parts: their parts (upload_codec.h)
//
// Column families added later are created when an older data directory is opened.
//
// Every write goes through Write(), which syncs the WAL when StoreOptions::sync is set.
// Thread safety: thread-safe (RocksDB is; the id allocator has its own mutex).
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::storage {

inline constexpr std::string_view kMetaFileIdLimit = "file_id_limit";
inline constexpr std::string_view kMetaStats = "stats";
// The highest event sequence handed out to a batch, committed or not: merged as a
// maximum (not added, unlike the other meta counters).
inline constexpr std::string_view kMetaEventSeqHigh = "event_seq_high";
// Index of each counter in the kMetaStats vector and in a segments CF value.
enum StatCounter { kStatObjects = 0, kStatLiveBytes = 1 };
enum SegmentCounter { kSegTotal = 0, kSegDead = 1 };

Status FromRocks(const rocksdb::Status& s);

class Index {
 public:
  static Result<std::unique_ptr<Index>> Open(const std::string& path, bool sync);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  rocksdb::DB* db() { return db_; }
  rocksdb::ColumnFamilyHandle* buckets() { return cf_[0]; }
  rocksdb::ColumnFamilyHandle* objects() { return cf_[1]; }
  rocksdb::ColumnFamilyHandle* users() { return cf_[2]; }
  rocksdb::ColumnFamilyHandle* segments() { return cf_[3]; }
  rocksdb::ColumnFamilyHandle* extents() { return cf_[4]; }
  rocksdb::ColumnFamilyHandle* events() { return cf_[5]; }
  rocksdb::ColumnFamilyHandle* meta() { return cf_[6]; }
  rocksdb::ColumnFamilyHandle* uploads() { return cf_[7]; }
  rocksdb::ColumnFamilyHandle* parts() { return cf_[8]; }
  rocksdb::ColumnFamilyHandle* event_state() { return cf_[9]; }
  rocksdb::ColumnFamilyHandle* bucket_config() { return cf_[10]; }

  // Applies the batch atomically; the WAL is synced first when sync was requested.
  // synced = false skips the WAL sync even when the store syncs (StoreOptions::sync).
  Status Write(rocksdb::WriteBatch* batch, bool synced = true);
  // Returns false (and leaves *value alone) when the key is absent.
  Result<bool> Get(rocksdb::ColumnFamilyHandle* cf, std::string_view key, std::string* value);
  // Reads a counter vector, padded with zeros to n entries.
  Result<std::vector<int64_t>> GetCounters(rocksdb::ColumnFamilyHandle* cf, std::string_view key,
                                           size_t n);

  // A fresh id for a segment or extent file, never handed out before (also across
  // restarts: a block of ids is reserved durably before use).
  Result<uint64_t> AllocateFileId();

 private:
  Index() = default;

  rocksdb::DB* db_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cf_;  // in the order of the accessors above
  rocksdb::WriteOptions write_options_;

  std::mutex id_mu_;
  uint64_t next_id_ = 0;   // GUARDED_BY(id_mu_)
  uint64_t id_limit_ = 0;  // GUARDED_BY(id_mu_): ids below it are reserved on disk
};

}  // namespace kumo::storage
