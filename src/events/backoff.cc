#include "events/backoff.h"

#include <algorithm>

namespace kumo::events {

int64_t BackoffCeilingMs(int attempt, int64_t initial_ms, int64_t max_ms) {
  if (initial_ms <= 0 || max_ms <= 0) return 0;
  int64_t ceiling = initial_ms;
  for (int i = 1; i < attempt && ceiling < max_ms; ++i) {
    ceiling = ceiling > max_ms / 2 ? max_ms : ceiling * 2;
  }
  return std::min(ceiling, max_ms);
}

int64_t FullJitterBackoffMs(int attempt, int64_t initial_ms, int64_t max_ms, std::mt19937_64& rng) {
  int64_t ceiling = BackoffCeilingMs(attempt, initial_ms, max_ms);
  if (ceiling <= 0) return 0;
  return std::uniform_int_distribution<int64_t>(0, ceiling)(rng);
}

}  // namespace kumo::events
