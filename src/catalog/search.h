// Runs a parsed search (search_query.h) against the catalog database: one parameterized
// statement (search_sql.h) on a read-only connection of its own, then the attributes (and
// with text, a snippet) of each result, and the continuation token of the next page.
// Results only come from buckets the caller may see, decided by the caller's predicate,
// so this code needs nothing from s3/.
//
// Thread safety: each call borrows a read-only connection of its own (reader_pool.h);
// any number of threads may call Search at once (the predicate must allow that too, or be called
// from one thread).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/search_query.h"
#include "common/status.h"

namespace kumo::catalog {

// Whether the caller may see a bucket's objects. An empty function: every bucket.
using BucketVisible = std::function<bool(std::string_view bucket)>;

struct SearchHit {
  std::string bucket;
  std::string key;
  int64_t size = 0;
  std::string etag;
  std::string content_type;
  int64_t last_modified_ms = 0;
  // The attributes of every namespace but 's3', merged into one object (a name found in
  // several namespaces: the first namespace in byte order wins). Numbers are numbers,
  // bools bools, everything else strings.
  nlohmann::json attributes = nlohmann::json::object();
  std::optional<std::string> snippet;  // with text only: the best text row, matches in [ ]
};

struct SearchResult {
  std::vector<SearchHit> hits;
  std::optional<std::string> next;  // the continuation token, when more results exist
};

// Errors: kIOError when the database cannot be opened or read; kInvalidArgument for a
// continuation whose value does not fit the sort (it decoded, so it was only edited).
Result<SearchResult> Search(const std::string& db_path, const SearchQuery& query,
                            const BucketVisible& visible);

// The EXPLAIN QUERY PLAN of the statement Search would run (one line per plan row,
// indented by depth), for tests that check which indexes the planner picks.
Result<std::string> ExplainSearch(const std::string& db_path, const SearchQuery& query,
                                  const BucketVisible& visible);

// {"results": [...], "next": token|null} as GET /_kumo/search answers.
nlohmann::json SearchResultJson(const SearchResult& result);

}  // namespace kumo::catalog
