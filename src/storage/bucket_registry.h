// BucketRegistry: the buckets, cached in memory over the "buckets" column family, and
// the interlock between object commits and DeleteBucket.
//
// A commit pins the buckets it writes into (Pin/Unpin) around its index batch.
// DeleteBucket marks the bucket as deleting, waits until no commit has it pinned, checks
// that no object is left, and only then deletes it (with the bucket's in-progress
// multipart uploads, in the same batch); commits that arrive meanwhile wait
// for the outcome. So an object can never be committed into a bucket that is being (or
// has been) deleted, and a deletion is never starved by a stream of writes.
//
// Thread safety: thread-safe; mu_ guards the map, cv_ signals pin and deletion changes.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/index.h"
#include "storage/object_meta.h"

namespace kumo::storage {

class BucketRegistry {
 public:
  explicit BucketRegistry(Index* index) : index_(index) {}

  // Reads the buckets column family (at open).
  Status Load();

  // configs: (name, value) documents written into bucket_cf with the bucket record.
  Status Create(const BucketInfo& info,
                const std::vector<std::pair<std::string, std::string>>& configs,
                rocksdb::ColumnFamilyHandle* bucket_cf);
  // prepare is called with the bucket pinned by nobody (and new pins held off); it
  // returns false when the bucket holds an object (kBucketNotEmpty), otherwise true, and
  // may add writes to the batch that deletes the bucket record (multipart state).
  Status Delete(std::string_view name,
                const std::function<Result<bool>(rocksdb::WriteBatch*)>& prepare);
  Result<BucketInfo> Get(std::string_view name);
  std::vector<BucketInfo> List();
  bool Exists(std::string_view name);

  // Returns false if the bucket does not exist; true means it cannot be deleted until
  // the matching Unpin.
  bool Pin(const std::string& name);
  void Unpin(const std::string& name);

 private:
  struct Entry {
    BucketInfo info;
    int pins = 0;
    bool deleting = false;
  };

  Index* const index_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry, std::less<>> buckets_;  // GUARDED_BY(mu_)
};

// Holds a pin on a bucket for a scope; ok() is false (and nothing is held) when the
// bucket does not exist.
class BucketPin {
 public:
  BucketPin(BucketRegistry* buckets, std::string_view bucket)
      : buckets_(buckets), bucket_(bucket), ok_(buckets->Pin(bucket_)) {}
  ~BucketPin() {
    if (ok_) buckets_->Unpin(bucket_);
  }
  BucketPin(const BucketPin&) = delete;
  BucketPin& operator=(const BucketPin&) = delete;
  bool ok() const { return ok_; }

 private:
  BucketRegistry* const buckets_;
  const std::string bucket_;
  const bool ok_;
};

}  // namespace kumo::storage
