#include "bench/size_spec.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace kumo::bench {
namespace {

struct Suffix {
  std::string_view name;  // lower case
  uint64_t factor;
};

constexpr std::array<Suffix, 11> kSuffixes = {{
    {"", 1},
    {"b", 1},
    {"k", 1ull << 10},
    {"kib", 1ull << 10},
    {"m", 1ull << 20},
    {"mib", 1ull << 20},
    {"g", 1ull << 30},
    {"gib", 1ull << 30},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", 1000 * 1000 * 1000},
}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<uint64_t> ParseBytes(std::string_view text) {
  text = Trim(text);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string suffix;
  for (const char* p = end; p != text.data() + text.size(); ++p) {
    if (std::isspace(static_cast<unsigned char>(*p))) continue;
    suffix.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*p))));
  }
  uint64_t factor = 0;
  for (const Suffix& s : kSuffixes) {
    if (s.name == suffix) factor = s.factor;
  }
  if (factor == 0) return std::nullopt;
  if (value > UINT64_MAX / factor) return std::nullopt;
  return value * factor;
}

std::optional<SizeSpec> ParseSizeSpec(std::string_view text) {
  text = Trim(text);
  for (std::string_view tail : {std::string_view(":uniform"), std::string_view(" uniform")}) {
    if (text.size() > tail.size() && text.substr(text.size() - tail.size()) == tail) {
      text = Trim(text.substr(0, text.size() - tail.size()));
    }
  }
  size_t dash = text.find('-');
  auto min = ParseBytes(text.substr(0, dash));
  if (!min) return std::nullopt;
  SizeSpec spec{*min, *min};
  if (dash != std::string_view::npos) {
    auto max = ParseBytes(text.substr(dash + 1));
    if (!max || *max < *min) return std::nullopt;
    spec.max = *max;
  }
  return spec;
}

std::string FormatBytes(uint64_t bytes) {
  constexpr std::array<std::string_view, 4> kUnits = {"B", "KiB", "MiB", "GiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char out[48];
  if (unit == 0 || value == static_cast<double>(static_cast<uint64_t>(value))) {
    std::snprintf(out, sizeof(out), "%.0f %s", value, kUnits[unit].data());
  } else {
    std::snprintf(out, sizeof(out), "%.2f %s", value, kUnits[unit].data());
  }
  return out;
}

std::string FormatSizeSpec(const SizeSpec& spec) {
  if (spec.fixed()) return FormatBytes(spec.min);
  return FormatBytes(spec.min) + " - " + FormatBytes(spec.max) + " uniform";
}

}  // namespace kumo::bench
