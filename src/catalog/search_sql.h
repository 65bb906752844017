// The one SQL statement of a search: SearchQuery → parameterized SELECT over obj (with
// attr, fts and fts_row), shaped so that SQLite's planner can drive it from an index —
// obj(bucket, key) for a bucket/prefix, obj_type for a type glob, obj_size/obj_mtime for
// ranges, attr_num/attr_str for attribute conditions and near, fts for text — and ordered
// by (sort value, obj.id) for keyset paging. Every user value is a bound parameter; the
// SQL text only ever holds constants. Internal to search.cc (and its tests).
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "catalog/search_query.h"

namespace kumo::catalog {

using SqlValue = std::variant<int64_t, double, std::string>;

struct SearchSql {
  std::string sql;
  std::vector<SqlValue> binds;  // for ?1, ?2, ... in order
  // Result columns: obj.id, bucket, key, size, etag, content_type, last_modified, the sort
  // value, and (with text) the fts rowid of the object's best-ranked text row.
  static constexpr int kSortColumn = 7;
  static constexpr int kBestFtsColumn = 8;
};

// The statement for q, returning at most q.limit + 1 rows (one more tells whether a next
// page exists). buckets: when set, only rows of these buckets (the caller's visible
// buckets) are returned; nullopt: no bucket filter.
SearchSql BuildSearchSql(const SearchQuery& q,
                         const std::optional<std::vector<std::string>>& buckets);

// The smallest string greater than every string starting with prefix (byte order), or
// nullopt when there is none (prefix empty or all 0xff bytes).
std::optional<std::string> PrefixUpperBound(std::string_view prefix);

// Great-circle distance in km between two points given in degrees (haversine, mean Earth
// radius 6371.0088 km).
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace kumo::catalog
