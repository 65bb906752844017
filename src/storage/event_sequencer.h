// Hands out event sequence numbers and tracks which are still in flight, so that readers
// of the outbox never skip an event: a batch takes its numbers before it is written and
// may commit after a later batch. Watermark() is the highest sequence below which every
// number is settled (committed, or abandoned by a failed batch and never to appear).
//
// Numbers are never reused, across retention trims and restarts: cursors, outcomes and
// dead letters refer to them. Every batch records its highest number in the index
// (kMetaEventSeqHigh, merged as a maximum, see IndexWriter), a failed batch before its
// numbers are settled; a restart begins above that and above the last record.
// Thread safety: thread-safe (one mutex).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>

namespace kumo::storage {

class EventSequencer {
 public:
  // last: the highest sequence handed out before (EventLogImpl::LastSequence).
  explicit EventSequencer(uint64_t last) : next_(last + 1) {}

  // Reserves n consecutive numbers; returns the first.
  uint64_t Allocate(uint64_t n);
  // The batch holding [first, first + n) was written (or failed for good).
  void Settle(uint64_t first, uint64_t n);
  uint64_t Watermark();
  // Waits until the watermark passes `after` or timeout_ms elapses; returns the
  // watermark. Lets a dispatcher sleep instead of polling.
  uint64_t WaitPast(uint64_t after, int timeout_ms);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_;                 // GUARDED_BY(mu_)
  std::set<uint64_t> in_flight_;  // GUARDED_BY(mu_): first numbers of unsettled batches
};

}  // namespace kumo::storage
