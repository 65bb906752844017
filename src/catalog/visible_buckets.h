// Which of the catalog's buckets a caller may see: the distinct buckets of obj (one index
// seek per bucket, not a scan of the rows), each asked of the caller's predicate once.
// Searches turn the answer into a bucket filter; read-only SQL into kumo_visible().
//
// Thread safety: uses the given connection, which the caller does not share meanwhile.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/sqlite_db.h"
#include "common/status.h"

namespace kumo::catalog {

struct VisibleBuckets {
  std::vector<std::string> buckets;  // the visible ones, in byte order
  bool all = false;                  // every bucket of the catalog is visible
};

// The distinct values of obj.bucket, in byte order. Errors: SqliteError.
Result<std::vector<std::string>> CatalogBuckets(Db& db);

// CatalogBuckets filtered by visible (an empty function: all visible).
Result<VisibleBuckets> ListVisibleBuckets(Db& db,
                                          const std::function<bool(std::string_view)>& visible);

}  // namespace kumo::catalog
