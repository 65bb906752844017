// Read-only SQL over the catalog (POST /_kumo/sql): one SELECT, run on a read-only
// connection of its own against three temp views —
//   objects(bucket, key, size, etag, content_type, last_modified (RFC 3339 text),
//           last_modified_ms, owner, user_metadata (JSON), tags (JSON),
//           checksum_algorithm, multipart (0/1), parts)
//   attributes(bucket, key, namespace, name, value, num, str)
//   text(bucket, key, namespace, body)   (body: for namespace 's3' the metadata and tag
//                                         values, else the function's text)
// — each filtered by kumo_visible(bucket), the caller's bucket predicate. An authorizer
// allows only SELECT, reads of the tables through those views, CTEs (recursive too) and a
// whitelist of pure functions: writes, ATTACH, PRAGMA,
// reading obj/attr/fts directly and every other function are refused. A progress handler
// stops the query at its time limit; at most row_cap rows are returned.
//
// Thread safety: RunSql opens its own connection per call; any number of threads may call
// it at once (the predicate is called on the calling thread only, before the query runs).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::catalog {

struct SqlOptions {
  int64_t time_limit_ms = 5000;
  int64_t row_cap = 10000;
};

struct SqlResult {
  std::vector<std::string> columns;
  nlohmann::json rows = nlohmann::json::array();  // arrays of values, one per row
  bool truncated = false;                         // more rows than row_cap existed
};

// Runs sql. visible: whether the caller sees a bucket (an empty function: all buckets).
// Errors: kInvalidArgument for SQL SQLite cannot compile (its message), empty SQL, more
// than one statement, or a query that ran past the time limit; kAccessDenied for anything
// the authorizer refuses (writes, ATTACH, PRAGMA, direct table reads, other functions);
// kIOError when the database cannot be opened.
Result<SqlResult> RunSql(const std::string& db_path, std::string_view sql,
                         const std::function<bool(std::string_view)>& visible,
                         const SqlOptions& options = {});

// {"columns": [...], "rows": [[...], ...], "truncated": bool} as POST /_kumo/sql answers.
nlohmann::json SqlResultJson(const SqlResult& result);

}  // namespace kumo::catalog
