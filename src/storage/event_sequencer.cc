#include "storage/event_sequencer.h"

#include <chrono>

namespace kumo::storage {

uint64_t EventSequencer::Allocate(uint64_t n) {
  std::lock_guard lock(mu_);
  uint64_t first = next_;
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

}  // namespace kumo::storage
