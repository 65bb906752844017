#include "s3/range.h"

#include <charconv>

namespace kumo::s3 {

namespace {
std::optional<uint64_t> ParseUint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

Status NotSatisfiable() {
  return {ErrorCode::kInvalidRange, "The requested range is not satisfiable"};
}
}  // namespace

Result<std::optional<ByteRange>> ResolveRange(std::string_view header, uint64_t object_size) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return std::optional<ByteRange>();
  std::string_view spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>();
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);

  if (a.empty()) {  // suffix: last n bytes
    auto n = ParseUint(b);
    if (!n) return std::optional<ByteRange>();
    if (*n == 0) return NotSatisfiable();
    if (object_size == 0) return NotSatisfiable();
    uint64_t len = std::min(*n, object_size);
    return std::optional<ByteRange>(ByteRange{object_size - len, len});
  }
  auto first = ParseUint(a);
  if (!first) return std::optional<ByteRange>();
  uint64_t last = 0;
  if (b.empty()) {
    last = object_size == 0 ? 0 : object_size - 1;
  } else {
    auto l = ParseUint(b);
    if (!l || *l < *first) return std::optional<ByteRange>();  // invalid syntax: ignored
    last = std::min(*l, object_size == 0 ? 0 : object_size - 1);
  }
  if (*first >= object_size) return NotSatisfiable();
  return std::optional<ByteRange>(ByteRange{*first, last - *first + 1});
}

}  // namespace kumo::s3
