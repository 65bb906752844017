// A latency histogram with fixed buckets (1 ms to 10 s), for the times from an event's
// commit to something done with it: the start of a handler's first delivery attempt
// (kumo_event_dispatch_latency_seconds) and the commit of the catalog transaction that
// made it searchable (kumo_catalog_apply_latency_seconds).
//
// The commit time is the event record's time_ms: wall-clock milliseconds, stamped when
// the commit's WriteBatch is built, just before its synced write. A sample is therefore
// now - time_ms, which counts the WAL sync of the commit and overstates by less than 1 ms
// (the truncation of time_ms); the stored record has no finer stamp.
//
// [Threading] Record and Snapshot are lock-free (relaxed atomics) and may run
// concurrently from any threads. A Snapshot taken during a Record may miss that sample
// in some fields, but its count is always the sum of its buckets.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace kumo {

// Inclusive upper bounds of the buckets, in microseconds (Prometheus `le`: 1 ms to 10 s).
// One more bucket counts the samples above the last bound (+Inf).
inline constexpr std::array<int64_t, 13> kLatencyBoundsUs = {
    1'000,   2'000,   5'000,     10'000,    20'000,    50'000,    100'000,
    250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};
inline constexpr size_t kLatencyBuckets = kLatencyBoundsUs.size() + 1;

struct LatencySnapshot {
  // Samples per bucket, not cumulative: buckets[i] counts those in
  // (bound[i-1], bound[i]]; buckets.back() those above the last bound.
  std::array<uint64_t, kLatencyBuckets> buckets{};
  uint64_t count = 0;   // the sum of buckets
  uint64_t sum_us = 0;  // the sum of the samples, in microseconds
};

class LatencyHistogram {
 public:
  // Adds one sample; a negative one (the wall clock stepped back) counts as 0.
  void Record(int64_t micros);
  LatencySnapshot Snapshot() const;

 private:
  std::array<std::atomic<uint64_t>, kLatencyBuckets> buckets_{};
  std::atomic<uint64_t> sum_us_{0};
};

// Wall-clock microseconds since the Unix epoch (the clock of EventRecord::time_ms).
int64_t NowMicros();

}  // namespace kumo
