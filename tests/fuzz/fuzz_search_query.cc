// Fuzzes the /_kumo/search query parser (ParseSearchQuery) and its continuation tokens.
// Input: a raw query string, split and percent-decoded as the admin API does.
// Invariants checked: every refusal is kInvalidArgument with a message that names a
// parameter ("name: why"); an accepted query stays within its limits (limit 1..1000, a
// non-empty FTS query made of quoted words, a finite near); a token made for the parsed
// sort decodes back to the same position, and is refused under another sort.
#include <cmath>
#include <cstdint>
#include <string>

#include "catalog/search_query.h"
#include "common/http_request.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string raw(reinterpret_cast<const char*>(data), size);
  auto params = kumo::ParseQuery(raw);
  if (!params) return 0;
  auto q = kumo::catalog::ParseSearchQuery(*params);
  if (!q.ok()) {
    KUMO_FUZZ_CHECK(q.status().Is(kumo::ErrorCode::kInvalidArgument));
    KUMO_FUZZ_CHECK(q.status().message().find(": ") != std::string::npos);
    return 0;
  }
  KUMO_FUZZ_CHECK(q->limit >= 1 && q->limit <= kumo::catalog::kMaxLimit);
  if (!q->fts_match.empty()) {
    KUMO_FUZZ_CHECK(q->fts_match.front() == '"' && q->fts_match.back() == '"');
  }
  if (q->near) {
    KUMO_FUZZ_CHECK(std::isfinite(q->near->lat) && std::isfinite(q->near->lon));
    KUMO_FUZZ_CHECK(q->near->radius_km > 0 && q->near->radius_km <= 20038);
  }
  for (const auto& c : q->where) {
    KUMO_FUZZ_CHECK(!c.name.empty());
    if (c.number) KUMO_FUZZ_CHECK(std::isfinite(*c.number));
  }
  kumo::catalog::Continuation c;
  c.id = static_cast<int64_t>(size);
  c.value = raw;
  std::string token = kumo::catalog::EncodeContinuation(q->sort, c);
  auto back = kumo::catalog::DecodeContinuation(q->sort, token);
  KUMO_FUZZ_CHECK(back.ok() && back->id == c.id && back->value == c.value);
  kumo::catalog::Sort other = q->sort;
  other.descending = !other.descending;
  KUMO_FUZZ_CHECK(!kumo::catalog::DecodeContinuation(other, token).ok());
  return 0;
}
