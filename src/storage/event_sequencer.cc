#include "storage/event_sequencer.h"

#include <chrono>

namespace kumo::storage {

Result<uint64_t> EventSequencer::Allocate(uint64_t n) {
  std::lock_guard lock(mu_);
  uint64_t first = next_;
  if (first + n > lease_) {
    // One synced write per kLeaseBlock numbers; the allocators it holds up for that
    // write are the same commits that each wait for a synced WAL write anyway.
    uint64_t lease = first + n + kLeaseBlock;
    KUMO_RETURN_IF_ERROR(persist_(lease));
    lease_ = lease;
  }
  next_ += n;
  in_flight_.insert(first);
  return first;
}

void EventSequencer::Settle(uint64_t first, uint64_t /*n*/) {
  {
    std::lock_guard lock(mu_);
    in_flight_.erase(first);
  }
  cv_.notify_all();
}

uint64_t EventSequencer::Watermark() {
  std::lock_guard lock(mu_);
  return in_flight_.empty() ? next_ - 1 : *in_flight_.begin() - 1;
}

uint64_t EventSequencer::WaitPast(uint64_t after, int timeout_ms) {
  std::unique_lock lock(mu_);
  auto mark = [&] { return in_flight_.empty() ? next_ - 1 : *in_flight_.begin() - 1; };
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return mark() > after; });
  return mark();
}

Status EventSequencer::Close() {
  std::lock_guard lock(mu_);
  if (!in_flight_.empty() || lease_ == next_) return Status::OK();
  KUMO_RETURN_IF_ERROR(persist_(next_));
  lease_ = next_;
  return Status::OK();
}

}  // namespace kumo::storage
