// Retry delays for event delivery: exponential backoff with full jitter (the AWS
// Architecture Blog's "full jitter": sleep a uniform random time between 0 and the
// exponential ceiling). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <random>

namespace kumo::events {

// The ceiling before the retry that follows failed attempt `attempt` (1-based):
// min(max_ms, initial_ms * 2^(attempt-1)), never negative, without overflow.
int64_t BackoffCeilingMs(int attempt, int64_t initial_ms, int64_t max_ms);

// A uniform random delay in [0, BackoffCeilingMs(attempt, initial_ms, max_ms)].
int64_t FullJitterBackoffMs(int attempt, int64_t initial_ms, int64_t max_ms, std::mt19937_64& rng);

}  // namespace kumo::events
