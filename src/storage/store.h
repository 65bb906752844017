// Store: the storage engine (ARCHITECTURE §2). Buckets and objects indexed in RocksDB,
// object bytes in packed segment files (small objects, group commit) or extent files
// (large objects). Nothing on disk is named after a key.
//
// Thread safety: Store is thread-safe; ObjectWriter and ObjectReader are used by one
// thread at a time. An ObjectReader stays valid (its bytes readable) while it lives, even
// if the object is overwritten, deleted, or its segment compacted meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/event_log.h"
#include "storage/event_record.h"
#include "storage/multipart.h"
#include "storage/object_meta.h"

namespace kumo::storage {

struct StoreOptions {
  std::string data_dir = "./data";
  // Objects strictly below this size go to packed segments.
  uint64_t small_object_threshold = 1 << 20;
  // A packed segment is rolled over past this size.
  uint64_t segment_target_bytes = 64ull << 20;
  // A sealed segment whose dead bytes exceed this ratio is compacted in the background.
  double compaction_dead_ratio = 0.5;
  // Background compaction period; 0 disables the thread (tests call CompactNow()).
  int compaction_interval_ms = 10000;
  // fsync/fdatasync data and sync the RocksDB WAL before acknowledging. Tests of crash
  // safety keep it on; only benchmarks of the non-durable path may turn it off.
  bool sync = true;
  // Multipart uploads initiated longer ago than this are aborted by the background
  // thread (checked at most once a minute, only when compaction_interval_ms > 0);
  // 0 = never.
  int64_t multipart_expiry_ms = 7ll * 24 * 3600 * 1000;
  // 32-byte key that seals users' secret keys at rest (empty: stored as given), and the
  // previous one during a rotation (secrets sealed with it are resealed at open).
  std::string master_key;
  std::string previous_master_key;
};

// Streams one object's bytes to disk. Memory stays bounded whatever the size.
// Destroying a writer without Commit discards everything it wrote.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual uint64_t bytes_written() const = 0;
  // Makes the object durable and visible: fsyncs the bytes, then writes one synced
  // RocksDB WriteBatch with the index record and the space accounting. meta.size and
  // meta.extents are filled in by the store; everything else is stored as given.
  // Returns the stored meta. Errors: kNoSuchBucket if the bucket vanished; kIOError.
  // event: when set, the change's outbox record is written in the same batch.
  virtual Result<ObjectMeta> Commit(ObjectMeta meta, const EventIntent* event = nullptr) = 0;
};

// Reads one object version as it was when opened.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  virtual const ObjectMeta& meta() const = 0;
  // Reads up to n bytes at offset (relative to the object start) into buf; returns the
  // count read, 0 at the end. Errors: kIOError, kCorruption.
  virtual Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) = 0;
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;
  std::string start_after;  // exclusive; keys (and common prefixes) after this
  size_t max_keys = 1000;
  bool with_meta = true;
};

struct ListEntry {
  std::string key;
  ObjectMeta meta;  // extents are not filled
};

struct ListResult {
  std::vector<ListEntry> objects;            // in key order
  std::vector<std::string> common_prefixes;  // in order, each ends with the delimiter
  bool truncated = false;
  // The last key or common prefix returned; pass as start_after to continue.
  std::string last_returned;
};

struct UserRecord {
  std::string access_key;
  std::string secret_key;
  int64_t created_ms = 0;
  std::string policy;  // the identity policy's JSON text; empty: none
};

struct StoreStats {
  uint64_t objects = 0;
  uint64_t live_bytes = 0;
  uint64_t dead_bytes = 0;  // in packed segments, awaiting compaction
  uint64_t segments = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens or creates the data directory (index/, blobs/, tmp/), recovers after a crash:
  // bytes not referenced by the index become garbage. Errors: kIOError, kCorruption.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);

  // Errors: kBucketAlreadyOwnedByYou if it exists and is owned by info.owner,
  // kBucketAlreadyExists if another owner has it.
  // configs: bucket configuration documents (name, value) committed in the same batch as
  // the bucket, so a new bucket never exists without them (its ownership and ACL).
  virtual Status CreateBucket(
      const BucketInfo& info,
      const std::vector<std::pair<std::string, std::string>>& configs = {}) = 0;
  // Fails with kBucketNotEmpty while an object is left. In-progress multipart uploads
  // do not block it: they are aborted in the same batch that deletes the bucket.
  // Errors: kNoSuchBucket, kBucketNotEmpty.
  virtual Status DeleteBucket(std::string_view name) = 0;
  virtual Result<BucketInfo> GetBucket(std::string_view name) = 0;
  virtual Result<std::vector<BucketInfo>> ListBuckets() = 0;

  // size_hint: the final size when known (Content-Length), or -1. Chooses packed
  // segment vs extent file. Errors: kNoSuchBucket.
  virtual Result<std::unique_ptr<ObjectWriter>> NewObjectWriter(std::string_view bucket,
                                                                std::string_view key,
                                                                int64_t size_hint) = 0;
  // Errors: kNoSuchBucket, kNoSuchKey.
  virtual Result<std::unique_ptr<ObjectReader>> OpenObject(std::string_view bucket,
                                                           std::string_view key) = 0;
  virtual Result<ObjectMeta> HeadObject(std::string_view bucket, std::string_view key) = 0;
  // OK when the key is absent. Errors: kNoSuchBucket.
  // event: written to the outbox with the removal (nothing when the key was absent).
  virtual Status DeleteObject(std::string_view bucket, std::string_view key,
                              const EventIntent* event = nullptr) = 0;
  // DeleteObject for many keys of one bucket (DeleteObjects), committed in a few synced
  // batches rather than one per key. Returns one status per key, in order, as
  // DeleteObject would; event is written once per key actually removed.
  virtual std::vector<Status> DeleteObjects(std::string_view bucket,
                                            const std::vector<std::string>& keys,
                                            const EventIntent* event = nullptr) = 0;
  // Changes the attributes of an existing object in place; its bytes are untouched. fn
  // edits a copy of the current meta (it must not change size, etag or extents; the
  // store restores them) and may return an error to abort. The new record is written
  // in one synced batch, with the event's outbox record when event is set (same rule as
  // ObjectWriter::Commit). Returns the stored meta.
  // Atomic against concurrent writers of the same key: fn sees the record as it is at
  // the moment of the update, and a PUT or DELETE that commits meanwhile is ordered
  // either wholly before or wholly after it. fn runs under the key's lock: it must be
  // quick and must not call back into the Store.
  // Errors: kNoSuchBucket, kNoSuchKey, or fn's error as is.
  virtual Result<ObjectMeta> UpdateObjectMeta(std::string_view bucket, std::string_view key,
                                              const std::function<Status(ObjectMeta&)>& fn,
                                              const EventIntent* event = nullptr) = 0;
  // Errors: kNoSuchBucket.
  virtual Result<ListResult> ListObjects(std::string_view bucket, const ListOptions& options) = 0;

  // Credentials of non-root users. PutUser overwrites.
  virtual Status PutUser(const UserRecord& user) = 0;
  virtual Result<UserRecord> GetUser(std::string_view access_key) = 0;  // kInvalidAccessKeyId
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  virtual Status DeleteUser(std::string_view access_key) = 0;  // kInvalidAccessKeyId

  // Multipart uploads (multipart.h); owned by the store.
  virtual MultipartStore* multipart() = 0;
  // The event outbox and the dispatcher's durable state (event_log.h); owned by the store.
  virtual EventLog* events() = 0;

  // Small per-bucket configuration documents (e.g. "notification"), opaque to storage.
  // Errors: kNoSuchBucket. Get returns std::nullopt when unset.
  virtual Status PutBucketConfig(std::string_view bucket, std::string_view name,
                                 std::string_view value) = 0;
  virtual Result<std::optional<std::string>> GetBucketConfig(std::string_view bucket,
                                                             std::string_view name) = 0;
  // Removes the document (no error when it was unset). Errors: kNoSuchBucket.
  virtual Status DeleteBucketConfig(std::string_view bucket, std::string_view name) = 0;

  // Compacts every sealed segment past the dead ratio now (the background thread does
  // the same periodically).
  virtual Status CompactNow() = 0;
  virtual StoreStats Stats() = 0;
};

}  // namespace kumo::storage
