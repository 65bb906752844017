#include "catalog/search.h"

#include <sqlite3.h>

#include <cmath>

#include "catalog/reader_pool.h"
#include "catalog/search_sql.h"
#include "catalog/sqlite_db.h"
#include "catalog/visible_buckets.h"
#include "common/time_util.h"

namespace kumo::catalog {

namespace {

Status BindAll(Stmt& stmt, const std::vector<SqlValue>& binds) {
  for (size_t i = 0; i < binds.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    KUMO_RETURN_IF_ERROR(std::visit(
        [&](const auto& v) -> Status {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
            return stmt.Bind(n, std::string_view(v));
          } else {
            return stmt.Bind(n, v);
          }
        },
        binds[i]));
  }
  return Status::OK();
}

// The statement for the query and the caller, or nullopt when the caller sees nothing.
Result<std::optional<SearchSql>> Plan(Db& db, const SearchQuery& q, const BucketVisible& visible) {
  std::optional<std::vector<std::string>> filter;
  if (visible) {
    if (q.bucket) {
      if (!visible(*q.bucket)) return std::optional<SearchSql>();
    } else {
      KUMO_ASSIGN_OR_RETURN(VisibleBuckets v, ListVisibleBuckets(db, visible));
      if (v.buckets.empty()) return std::optional<SearchSql>();
      if (!v.all) filter = std::move(v.buckets);
    }
  }
  return std::optional<SearchSql>(BuildSearchSql(q, filter));
}

nlohmann::json AttributeValue(const Stmt& s) {
  const bool has_num = !s.ColumnIsNull(2), has_str = !s.ColumnIsNull(3);
  if (has_num && has_str) {
    std::string_view str = s.ColumnText(3);
    double num = s.ColumnDouble(2);
    if ((str == "true" && num == 1) || (str == "false" && num == 0)) return str == "true";
    return std::string(str);  // a date: its text
  }
  if (has_str) return s.ColumnString(3);
  if (!has_num) return nullptr;
  double num = s.ColumnDouble(2);
  if (num == std::floor(num) && std::fabs(num) < 9e15) return static_cast<int64_t>(num);
  return num;
}

// Each hit's attributes: one statement, rebound per hit.
Status LoadAttributes(Db& db, const std::vector<int64_t>& ids, std::vector<SearchHit>* hits) {
  KUMO_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT namespace, name, num, str FROM attr WHERE "
                                           "object_id = ?1 AND namespace != 's3' "
                                           "ORDER BY namespace, name"));
  for (size_t i = 0; i < ids.size(); ++i) {
    s.Reset();
    KUMO_RETURN_IF_ERROR(s.Bind(1, ids[i]));
    nlohmann::json& attributes = (*hits)[i].attributes;
    while (true) {
      KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, s.Step());
      if (r == Stmt::StepResult::kDone) break;
      std::string name = s.ColumnString(1);
      if (!attributes.contains(name)) attributes[name] = AttributeValue(s);
    }
  }
  return Status::OK();
}

Status LoadSnippets(Db& db, const std::string& match, const std::vector<int64_t>& fts_rowids,
                    std::vector<SearchHit>* hits) {
  KUMO_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT snippet(fts, -1, '[', ']', '...', 12) FROM fts "
                                           "WHERE fts MATCH ?1 AND rowid = ?2"));
  for (size_t i = 0; i < fts_rowids.size(); ++i) {
    s.Reset();
    KUMO_RETURN_IF_ERROR(s.Bind(1, std::string_view(match)));
    KUMO_RETURN_IF_ERROR(s.Bind(2, fts_rowids[i]));
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, s.Step());
    (*hits)[i].snippet = r == Stmt::StepResult::kRow ? s.ColumnString(0) : std::string();
  }
  return Status::OK();
}

Continuation PositionOf(const Stmt& s) {
  Continuation c;
  c.id = s.ColumnInt64(0);
  switch (s.ColumnType(SearchSql::kSortColumn)) {
    case SQLITE_INTEGER:
      c.value = s.ColumnInt64(SearchSql::kSortColumn);
      break;
    case SQLITE_FLOAT:
      c.value = s.ColumnDouble(SearchSql::kSortColumn);
      break;
    default:
      c.value = s.ColumnString(SearchSql::kSortColumn);
      break;
  }
  return c;
}

}  // namespace

Result<SearchResult> Search(const std::string& db_path, const SearchQuery& query,
                            const BucketVisible& visible) {
  KUMO_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader(db_path));
  Db& db = lease.db();
  // One read transaction: the rows, their attributes and snippets are of one snapshot.
  KUMO_RETURN_IF_ERROR(db.Exec("BEGIN"));
  SearchResult out;
  KUMO_ASSIGN_OR_RETURN(std::optional<SearchSql> sql, Plan(db, query, visible));
  if (!sql) return out;
  KUMO_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql->sql));
  KUMO_RETURN_IF_ERROR(BindAll(stmt, sql->binds));
  std::vector<int64_t> ids, best;
  std::optional<Continuation> last;
  while (true) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, stmt.Step());
    if (r == Stmt::StepResult::kDone) break;
    if (static_cast<int>(out.hits.size()) == query.limit) {
      out.next = EncodeContinuation(query.sort, *last);
      break;
    }
    SearchHit hit;
    hit.bucket = stmt.ColumnString(1);
    hit.key = stmt.ColumnString(2);
    hit.size = stmt.ColumnInt64(3);
    hit.etag = stmt.ColumnString(4);
    hit.content_type = stmt.ColumnString(5);
    hit.last_modified_ms = stmt.ColumnInt64(6);
    ids.push_back(stmt.ColumnInt64(0));
    if (!query.fts_match.empty()) best.push_back(stmt.ColumnInt64(SearchSql::kBestFtsColumn));
    last = PositionOf(stmt);
    out.hits.push_back(std::move(hit));
  }
  KUMO_RETURN_IF_ERROR(LoadAttributes(db, ids, &out.hits));
  if (!best.empty()) KUMO_RETURN_IF_ERROR(LoadSnippets(db, query.fts_match, best, &out.hits));
  return out;
}

Result<std::string> ExplainSearch(const std::string& db_path, const SearchQuery& query,
                                  const BucketVisible& visible) {
  KUMO_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader(db_path));
  Db& db = lease.db();
  KUMO_ASSIGN_OR_RETURN(std::optional<SearchSql> sql, Plan(db, query, visible));
  if (!sql) return std::string("(nothing visible)");
  KUMO_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare("EXPLAIN QUERY PLAN " + sql->sql));
  KUMO_RETURN_IF_ERROR(BindAll(stmt, sql->binds));
  std::string out;
  while (true) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, stmt.Step());
    if (r == Stmt::StepResult::kDone) break;
    out += stmt.ColumnString(3) + "\n";
  }
  return out;
}

nlohmann::json SearchResultJson(const SearchResult& result) {
  nlohmann::json results = nlohmann::json::array();
  for (const SearchHit& h : result.hits) {
    nlohmann::json j = {{"bucket", h.bucket},
                        {"key", h.key},
                        {"size", h.size},
                        {"etag", h.etag},
                        {"content_type", h.content_type},
                        {"last_modified", FormatIso8601Millis(h.last_modified_ms)},
                        {"attributes", h.attributes}};
    if (h.snippet) j["snippet"] = *h.snippet;
    results.push_back(std::move(j));
  }
  return {{"results", std::move(results)},
          {"next", result.next ? nlohmann::json(*result.next) : nlohmann::json(nullptr)}};
}

}  // namespace kumo::catalog
