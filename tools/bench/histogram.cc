#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kumo::bench {

int LatencyHistogram::IndexOf(uint64_t v) {
  if (v < (1u << kSubBits)) return static_cast<int>(v);
  int shift = std::bit_width(v) - kSubBits;  // >= 1; (v >> shift) is in [64, 128)
  return shift * kHalf + static_cast<int>(v >> shift);
}

uint64_t LatencyHistogram::LowestOf(int index) {
  if (index < (1 << kSubBits)) return static_cast<uint64_t>(index);
  int shift = index / kHalf - 1;
  return static_cast<uint64_t>(index % kHalf + kHalf) << shift;
}

uint64_t LatencyHistogram::HighestOf(int index) {
  if (index < (1 << kSubBits)) return static_cast<uint64_t>(index);
  int shift = index / kHalf - 1;
  return LowestOf(index) + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::Record(uint64_t nanos) {
  ++buckets_[IndexOf(nanos)];
  ++count_;
  max_ = std::max(max_, nanos);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<uint64_t>(rank, 1);
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      uint64_t mid = LowestOf(i) + (HighestOf(i) - LowestOf(i)) / 2;
      return std::min(mid, max_);
    }
  }
  return max_;
}

}  // namespace kumo::bench
