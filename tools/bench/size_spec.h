// Object sizes for kumo-bench: "4KiB", "64MiB", "16", or a uniform range "1KiB-1MiB".
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace kumo::bench {

// A fixed size (min == max) or a uniform distribution over [min, max].
struct SizeSpec {
  uint64_t min = 0;
  uint64_t max = 0;

  bool fixed() const { return min == max; }
  // Draws one size; for a fixed size, returns it without touching rng.
  uint64_t Draw(std::mt19937_64& rng) const {
    if (fixed()) return min;
    return std::uniform_int_distribution<uint64_t>(min, max)(rng);
  }
};

// Parses one byte count: digits with an optional suffix, binary (K, KiB, M, MiB, G, GiB)
// or decimal (kB, MB, GB); case-insensitive; "B" alone is bytes. Returns std::nullopt on
// anything else or on overflow.
std::optional<uint64_t> ParseBytes(std::string_view text);

// Parses "SIZE" or "SIZE-SIZE" (optionally followed by " uniform" or ":uniform", the only
// distribution). Returns std::nullopt when malformed or when min > max.
std::optional<SizeSpec> ParseSizeSpec(std::string_view text);

// "4 KiB", "64 MiB", "1.5 GiB", "16 B": for reports.
std::string FormatBytes(uint64_t bytes);
std::string FormatSizeSpec(const SizeSpec& spec);

}  // namespace kumo::bench
