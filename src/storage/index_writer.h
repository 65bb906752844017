// IndexWriter: the one place where object index records change. Apply() turns a list of
// mutations (put, delete, attribute update, compaction repoint) into ONE RocksDB
// WriteBatch holding the index records, the extent ownership records, the segment
// dead/total accounting and the object counters, so all of them are visible after a crash
// or none is (ARCHITECTURE §2, commit rule). Old extent files are unlinked after the
// batch commits.
//
// Callers make the new bytes durable before Apply(); Apply() only indexes them.
//
// Thread safety: thread-safe. Each key's stripe (KeyLocks) is held from reading the old
// record to writing the batch; buckets are pinned (BucketRegistry) for the same span.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/bucket_registry.h"
#include "storage/event_record.h"
#include "storage/event_sequencer.h"
#include "storage/index.h"
#include "storage/key_locks.h"
#include "storage/object_meta.h"
#include "storage/segment_table.h"

namespace kumo::storage {

struct Mutation {
  enum class Op : uint8_t {
    kPut,       // store meta (with its extents) under ikey
    kDelete,    // remove ikey; OK when absent
    kRelocate,  // compaction: if ikey still points at `expected`, point it at
                // meta.extents[0] instead; otherwise the new copy is dead
    kUpdate,    // rewrite the attributes of the record under ikey with `update`; its
                // bytes, size and etag stay (kNoSuchKey when absent)
  };
  Op op = Op::kPut;
  std::string bucket;
  std::string ikey;  // EncodeObjectKey(bucket, key)
  ObjectMeta meta;
  Extent expected;  // kRelocate only
  // Bytes of the new packed record in segment meta.extents[0].file_id, or 0 when the
  // mutation wrote no packed record. They are accounted to the segment either way (as
  // dead when the mutation does not take effect).
  uint64_t new_record_bytes = 0;
  // kPut only, optional: runs under the key's lock with the bucket pinned, right before
  // the put takes effect, and may add writes to the same batch (multipart completion
  // removes the upload with it). A non-OK status fails the mutation; it must then have
  // added nothing.
  std::function<Status(rocksdb::WriteBatch*)> precommit;
  // kUpdate only: edits a copy of the current record, under the key's lock with the
  // bucket pinned. Whatever it does to size, etag and extents is undone. A non-OK status
  // fails the mutation and nothing is written. On success meta holds the new record.
  std::function<Status(ObjectMeta&)> update;
  // kPut/kDelete/kUpdate, optional: when the mutation takes effect, its event record is
  // written to the outbox in the same batch (a delete of an absent key emits nothing).
  const EventIntent* event = nullptr;

  // Out.
  Status status;
  bool applied = false;  // kRelocate: the index was repointed
};

class IndexWriter {
 public:
  IndexWriter(Index* index, SegmentTable* segments, BucketRegistry* buckets,
              EventSequencer* sequencer, std::string blobs_dir)
      : index_(index),
        segments_(segments),
        buckets_(buckets),
        sequencer_(sequencer),
        blobs_dir_(std::move(blobs_dir)) {}

  // Applies the mutations in order (later ones see earlier ones on the same key) and
  // sets each one's status: kNoSuchBucket for a put/delete/update into a missing bucket,
  // kNoSuchKey for an update of an absent key, the update function's error, kCorruption
  // for an undecodable old record, kIOError when the batch fails.
  void Apply(const std::vector<Mutation*>& mutations);

 private:
  Index* const index_;
  SegmentTable* const segments_;
  BucketRegistry* const buckets_;
  EventSequencer* const sequencer_;
  const std::string blobs_dir_;
  KeyLocks locks_;
};

}  // namespace kumo::storage
