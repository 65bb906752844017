// GroupCommitter: appends small objects to the current packed segment with group commit.
//
// Writers Submit() requests and block. One committer thread takes everything queued
// (up to kMaxBatchBytes), writes all records with vectored pwrite at the segment tail,
// fdatasyncs each touched segment once, hands the whole batch to IndexWriter::Apply (one
// synced WriteBatch), and wakes the waiters. While it syncs, new requests queue up and
// form the next batch, so N concurrent PUTs share one fdatasync and one WAL sync.
//
// Segments roll over past segment_target_bytes. A segment is sealed (handed to
// compaction) only after every batch that wrote to it has been indexed. After a write or
// sync error the segment is abandoned and the next batch starts a new one, so a torn
// record is never followed by good ones.
//
// Thread safety: Submit() is thread-safe. Segment state is owned by the committer thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/blob_file.h"
#include "storage/index.h"
#include "storage/index_writer.h"
#include "storage/segment_table.h"

namespace kumo::storage {

class GroupCommitter {
 public:
  // One per Submit call, on its stack. Each writer waits on its own condition variable
  // and lock, so a finished batch wakes exactly its writers (not those queued for the
  // next batch), and they do not wake up into the committer's mu_.
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    size_t pending = 0;  // GUARDED_BY(mu): requests not yet done
  };

  struct Request {
    // meta.extents and new_record_bytes are filled in by the committer.
    Mutation mutation;
    std::string data;
    Waiter* waiter = nullptr;  // set by Submit
  };

  GroupCommitter(std::string blobs_dir, uint64_t segment_target_bytes, bool sync, Index* index,
                 SegmentTable* segments, IndexWriter* index_writer);
  // Drains the queue, then stops the thread and seals the current segment.
  ~GroupCommitter();

  // Makes each request's data durable in a segment and applies its mutation. Blocks
  // until all are done; results are in request->mutation.status / .applied.
  void Submit(const std::vector<Request*>& requests);

  // Batches written so far (tests check that concurrent commits were grouped).
  uint64_t batches() const;

 private:
  void Run();
  void ProcessBatch(const std::vector<Request*>& batch);
  // Creates a fresh segment as file_ (file_ is null when called).
  Status Roll();

  static constexpr uint64_t kMaxBatchBytes = 32 << 20;

  const std::string blobs_dir_;
  const uint64_t segment_target_bytes_;
  const bool sync_;
  Index* const index_;
  SegmentTable* const segments_;
  IndexWriter* const index_writer_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // queue_ gained requests, or stop_
  std::deque<Request*> queue_;       // GUARDED_BY(mu_)
  bool stop_ = false;                // GUARDED_BY(mu_)
  uint64_t batches_ = 0;             // GUARDED_BY(mu_)

  // Committer thread only.
  std::shared_ptr<BlobFile> file_;  // current segment, null: roll before the next write
  uint64_t file_id_ = 0;
  uint64_t file_size_ = 0;

  std::thread thread_;  // last: starts after everything above is initialized
};

}  // namespace kumo::storage
