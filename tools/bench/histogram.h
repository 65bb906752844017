// A log-linear latency histogram in the spirit of HdrHistogram: values in nanoseconds,
// exact below 128 ns and within 1/64 (about 1.6%) above, from 1 ns to 2^63 ns, in a fixed
// 30 KB array, so recording allocates nothing. Not synchronized: one per worker, merged at
// the end.
#pragma once

#include <array>
#include <cstdint>

namespace kumo::bench {

class LatencyHistogram {
 public:
  void Record(uint64_t nanos);
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The value at quantile q in [0, 1] (midpoint of its bucket, never above max()); 0 when
  // empty.
  uint64_t Percentile(double q) const;

 private:
  static constexpr int kSubBits = 7;                 // 128 linear buckets per octave
  static constexpr int kHalf = 1 << (kSubBits - 1);  // 64
  static constexpr int kBuckets = (64 - kSubBits) * kHalf + (1 << kSubBits);

  static int IndexOf(uint64_t v);
  static uint64_t LowestOf(int index);
  static uint64_t HighestOf(int index);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace kumo::bench
