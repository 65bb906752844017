// The query of GET /_kumo/search, parsed from its decoded query parameters into a plain
// value that search.h turns into one parameterized SQL statement. Parsing checks every
// parameter (names, operators, numbers, dates, ranges, the continuation token) so that
// the executor never sees a malformed query. Pure functions and plain values:
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kumo::catalog {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kGlob };

// What a `where` condition compares: a column of obj, or an attribute (any namespace).
enum class Field {
  kAttribute,
  kSize,
  kLastModified,
  kContentType,
  kEtag,
  kOwner,
  kKey,
  kBucket,
  kChecksumAlgorithm,
  kParts,
};

// One `where=name OP value`.
struct Condition {
  Field field = Field::kAttribute;
  std::string name;  // the attribute name (kAttribute), else the system field's name
  CompareOp op = CompareOp::kEq;
  std::string text;  // the value, unquoted
  // The value as a number when it is unquoted and parses as one (or as RFC 3339: epoch
  // seconds, by attributes.h's ParseRfc3339, the writer's own rule). For last_modified it is in
  // milliseconds, as obj.last_modified.
  std::optional<double> number;
};

struct Near {
  double lat = 0;
  double lon = 0;
  double radius_km = 0;
};

enum class SortField { kKey, kSize, kLastModified, kRank, kAttribute };

struct Sort {
  SortField field = SortField::kKey;
  std::string attribute;  // kAttribute only
  bool descending = false;
  // The `sort` parameter's canonical spelling ("key", "-size", "rank", "-tag.x"); a
  // continuation token carries it so that it cannot be replayed under another sort.
  std::string Spec() const;
};

// Where the previous page ended: its last row's sort value and obj.id.
struct Continuation {
  std::variant<int64_t, double, std::string> value;
  int64_t id = 0;
};

struct SearchQuery {
  std::optional<std::string> bucket;
  std::optional<std::string> prefix;
  std::optional<std::string> type;  // a glob over content_type, e.g. "image/*"
  std::vector<Condition> where;
  std::optional<int64_t> min_size;
  std::optional<int64_t> max_size;
  std::optional<int64_t> modified_after_ms;   // exclusive
  std::optional<int64_t> modified_before_ms;  // exclusive
  std::optional<Near> near;
  // The FTS5 query built from `text`: each word quoted (so no FTS syntax error can
  // happen), AND of the words. Empty when no text was asked for.
  std::string fts_match;
  Sort sort;
  int limit = 100;
  std::optional<Continuation> continuation;
};

inline constexpr int kMaxLimit = 1000;

// Parses the decoded query parameters of /_kumo/search (`where` may repeat; every other
// parameter at most once). Errors: kInvalidArgument, its message naming the parameter —
// an unknown or repeated parameter, a `where` without a name or with a bad operator, a
// bad number or date, a bad `near`, a `limit` outside 1..1000, a sort that does not exist
// (rank without text), or a continuation token that was not made by this server for the
// same sort.
Result<SearchQuery> ParseSearchQuery(
    const std::vector<std::pair<std::string, std::string>>& params);

// The opaque token of a page's end (base64url of the sort spec, the id and the typed
// value, with a truncated SHA-256 so that an edited token is refused).
std::string EncodeContinuation(const Sort& sort, const Continuation& c);
// Errors: kInvalidArgument for anything EncodeContinuation did not make for this sort.
Result<Continuation> DecodeContinuation(const Sort& sort, std::string_view token);

}  // namespace kumo::catalog
