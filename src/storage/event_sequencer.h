// Hands out event sequence numbers and tracks which are still in flight, so that readers
// of the outbox never skip an event: a batch takes its numbers before it is written and
// may commit after a later batch. Watermark() is the highest sequence below which every
// number is settled (committed, or abandoned by a failed batch and never to appear).
//
// Numbers are never reused, across retention trims and restarts: cursors, outcomes and
// dead letters refer to them. Like file ids (Index::AllocateFileId), they are leased in
// blocks: before handing out a number past the durable lease, a larger lease is written
// (synced) through the persist callback; a restart begins at the lease, so a crash
// leaves a gap, never a repeat. Close() records the exact position, so a clean restart
// leaves none.
// Thread safety: thread-safe (one mutex; the persist callback runs under it).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>

#include "common/status.h"

namespace kumo::storage {

class EventSequencer {
 public:
  // Writes durably that numbers below `limit` may have been handed out.
  using PersistLease = std::function<Status(uint64_t limit)>;
  static constexpr uint64_t kLeaseBlock = 1 << 16;

  // next: the first number to hand out, above every number a previous run handed out
  // (the larger of the last outbox record + 1 and the stored lease).
  EventSequencer(uint64_t next, PersistLease persist)
      : next_(next), lease_(next), persist_(std::move(persist)) {}

  // Reserves n consecutive numbers; returns the first, or the error of extending the
  // lease (then nothing is reserved).
  Result<uint64_t> Allocate(uint64_t n);
  // The batch holding [first, first + n) was written (or failed for good).
  void Settle(uint64_t first, uint64_t n);
  uint64_t Watermark();
  // Waits until the watermark passes `after` or timeout_ms elapses; returns the
  // watermark. Lets a dispatcher sleep instead of polling.
  uint64_t WaitPast(uint64_t after, int timeout_ms);
  // Shrinks the stored lease to the next number (clean shutdown, nothing in flight).
  Status Close();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_;   // GUARDED_BY(mu_)
  uint64_t lease_;  // GUARDED_BY(mu_): numbers below it are durably leased
  PersistLease persist_;
  std::set<uint64_t> in_flight_;  // GUARDED_BY(mu_): first numbers of unsettled batches
};

}  // namespace kumo::storage
