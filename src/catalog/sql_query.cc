#include "catalog/sql_query.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <unordered_set>

#include "catalog/sqlite_db.h"
#include "catalog/visible_buckets.h"
#include "common/hash.h"
#include "common/utf8.h"

namespace kumo::catalog {

namespace {

constexpr const char* kViews =
    "CREATE TEMP VIEW objects AS SELECT bucket, key, size, etag, content_type, "
    "strftime('%Y-%m-%dT%H:%M:%fZ', last_modified / 1000.0, 'unixepoch') AS last_modified, "
    "last_modified AS last_modified_ms, owner, user_meta AS user_metadata, tags, "
    "checksum_algorithm, parts > 0 AS multipart, parts FROM main.obj WHERE kumo_visible(bucket);"
    "CREATE TEMP VIEW attributes AS SELECT o.bucket AS bucket, o.key AS key, "
    "a.namespace AS namespace, a.name AS name, coalesce(a.str, a.num) AS value, a.num AS num, "
    "a.str AS str FROM main.attr a JOIN main.obj o ON o.id = a.object_id "
    "WHERE kumo_visible(o.bucket);"
    "CREATE TEMP VIEW text AS SELECT o.bucket AS bucket, o.key AS key, r.namespace AS namespace, "
    "(SELECT CASE WHEN r.namespace = 's3' THEN f.c1 ELSE f.c2 END FROM main.fts_content f "
    "WHERE f.id = r.fts_rowid) AS body "
    "FROM main.fts_row r JOIN main.obj o ON o.id = r.object_id WHERE kumo_visible(o.bucket);";

constexpr std::string_view kViewNames[] = {"objects", "attributes", "text"};

// Pure functions a query may call (plus the window and aggregate functions listed).
constexpr std::string_view kFunctions[] = {
    "abs", "avg", "char", "coalesce", "count", "date", "datetime", "format", "glob", "group_concat",
    "hex", "ifnull", "iif", "instr", "json", "json_array", "json_array_length", "json_each",
    "json_extract", "json_group_array", "json_group_object", "json_object", "json_quote",
    "json_tree", "json_type", "json_valid", "julianday", "length", "like", "likely", "lower",
    "ltrim", "max", "min", "nullif", "printf", "quote", "replace", "round", "rtrim", "sign",
    "strftime", "substr", "substring", "sum", "time", "total", "trim", "typeof", "unicode",
    "unixepoch", "unlikely", "upper", "kumo_visible",
    // window functions
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
    "first_value", "last_value", "nth_value"};

bool OneOf(const char* name, const auto& list) {
  if (name == nullptr) return false;
  for (std::string_view n : list) {
    if (sqlite3_stricmp(name, std::string(n).c_str()) == 0) return true;
  }
  return false;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

struct Guard {
  std::unordered_set<std::string> stored;  // every table and view name, lower case
  std::string denied;                      // what the authorizer refused first
  std::chrono::steady_clock::time_point deadline;
  bool timed_out = false;
};

int Authorize(void* arg, int action, const char* a1, const char* a2, const char* db,
              const char* view) {
  auto* guard = static_cast<Guard*>(arg);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_READ:
      // Columns of the views themselves, and the tables under them read through them.
      if (OneOf(view, kViewNames)) return SQLITE_OK;
      if (db != nullptr && sqlite3_stricmp(db, "temp") == 0 && OneOf(a1, kViewNames)) {
        return SQLITE_OK;
      }
      // A CTE (a name that is no stored table); stored tables referenced without a column
      // (count(*)) also come without a database name, so the name decides.
      if (db == nullptr && a1 != nullptr && !guard->stored.contains(Lower(a1))) return SQLITE_OK;
      if (guard->denied.empty()) {
        guard->denied = std::string("reading ") + (a1 ? a1 : "?") +
                        " directly (query the views objects, attributes and text)";
      }
      return SQLITE_DENY;
    case SQLITE_FUNCTION:
      if (OneOf(a2, kFunctions)) return SQLITE_OK;
      if (guard->denied.empty()) guard->denied = std::string("the function ") + (a2 ? a2 : "?");
      return SQLITE_DENY;
    case SQLITE_PRAGMA:
      if (guard->denied.empty()) guard->denied = std::string("PRAGMA ") + (a1 ? a1 : "");
      return SQLITE_DENY;
    case SQLITE_ATTACH:
      if (guard->denied.empty()) guard->denied = "ATTACH";
      return SQLITE_DENY;
    default:
      if (guard->denied.empty()) guard->denied = "statements other than SELECT";
      return SQLITE_DENY;
  }
}

int Progress(void* arg) {
  auto* guard = static_cast<Guard*>(arg);
  if (std::chrono::steady_clock::now() < guard->deadline) return 0;
  guard->timed_out = true;
  return 1;
}

struct Visible {
  bool all = true;
  std::unordered_set<std::string> buckets;
};

void VisibleFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* v = static_cast<const Visible*>(sqlite3_user_data(ctx));
  if (v->all) return sqlite3_result_int(ctx, 1);
  const unsigned char* text = sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  bool ok =
      text != nullptr && v->buckets.count(std::string(reinterpret_cast<const char*>(text), n)) > 0;
  sqlite3_result_int(ctx, ok ? 1 : 0);
}

// Whether only blanks, ';' and comments follow.
bool OnlyTrivia(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ';') {
      ++i;
    } else if (s.substr(i, 2) == "--") {
      size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl + 1;
    } else if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

// The first keyword of sql (after blanks and comments), upper-cased.
std::string FirstKeyword(std::string_view sql) {
  while (!sql.empty()) {
    if (sql.front() == ' ' || sql.front() == '\t' || sql.front() == '\n' || sql.front() == '\r' ||
        sql.front() == '\f' || sql.front() == '(') {
      sql.remove_prefix(1);
    } else if (sql.starts_with("--")) {
      size_t nl = sql.find('\n');
      sql.remove_prefix(nl == std::string_view::npos ? sql.size() : nl + 1);
    } else if (sql.starts_with("/*")) {
      size_t end = sql.find("*/");
      sql.remove_prefix(end == std::string_view::npos ? sql.size() : end + 2);
    } else {
      break;
    }
  }
  std::string word;
  for (char c : sql) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
    word += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
  }
  return word;
}

// Statements that are refused whatever they name (SQLite would otherwise answer some with
// its own error first, e.g. "cannot modify objects because it is a view").
constexpr std::string_view kRefusedKeywords[] = {
    "INSERT", "UPDATE", "DELETE", "REPLACE",  "UPSERT",    "CREATE",  "DROP",
    "ALTER",  "ATTACH", "DETACH", "PRAGMA",   "VACUUM",    "REINDEX", "ANALYZE",
    "BEGIN",  "COMMIT", "END",    "ROLLBACK", "SAVEPOINT", "RELEASE"};

nlohmann::json Value(sqlite3_stmt* s, int i) {
  switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(s, i);
      return std::isfinite(d) ? nlohmann::json(d) : nlohmann::json(nullptr);
    }
    case SQLITE_TEXT: {
      const char* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
      return MakeValidUtf8(std::string_view(t, sqlite3_column_bytes(s, i)));
    }
    case SQLITE_BLOB: {
      const char* b = static_cast<const char*>(sqlite3_column_blob(s, i));
      return HexEncode(std::string_view(b, sqlite3_column_bytes(s, i)));
    }
    default:
      return nullptr;
  }
}

Status StoredNames(Db& db, std::unordered_set<std::string>* out) {
  for (const char* n : {"sqlite_master", "sqlite_schema", "sqlite_temp_master",
                        "sqlite_temp_schema", "sqlite_sequence"}) {
    out->insert(n);
  }
  KUMO_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT name FROM main.sqlite_master UNION ALL "
                                           "SELECT name FROM temp.sqlite_master"));
  while (true) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, s.Step());
    if (r == Stmt::StepResult::kDone) return Status::OK();
    out->insert(Lower(s.ColumnText(0)));
  }
}

Status Denied(const Guard& g) {
  return {ErrorCode::kAccessDenied,
          "not allowed in catalog SQL: " + (g.denied.empty() ? std::string("this") : g.denied)};
}

}  // namespace

Result<SqlResult> RunSql(const std::string& db_path, std::string_view sql,
                         const std::function<bool(std::string_view)>& visible,
                         const SqlOptions& options) {
  KUMO_ASSIGN_OR_RETURN(Db db, Db::Open(db_path, /*read_only=*/true));
  sqlite3* raw = db.raw();
  // Bound what one value may grow to (randomblob, printf widths, replace).
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, 16 << 20);
  KUMO_RETURN_IF_ERROR(db.Exec("BEGIN"));  // the snapshot the visible buckets come from
  Visible vis;
  if (visible) {
    KUMO_ASSIGN_OR_RETURN(VisibleBuckets v, ListVisibleBuckets(db, visible));
    vis.all = v.all;
    vis.buckets.insert(v.buckets.begin(), v.buckets.end());
  }
  int rc = sqlite3_create_function_v2(raw, "kumo_visible", 1, SQLITE_UTF8, &vis, VisibleFn, nullptr,
                                      nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(raw, rc, "registering kumo_visible");
  KUMO_RETURN_IF_ERROR(db.Exec(kViews));

  Guard guard;
  const std::string keyword = FirstKeyword(sql);
  for (std::string_view k : kRefusedKeywords) {
    if (keyword == k) {
      return Status(ErrorCode::kAccessDenied,
                    "not allowed in catalog SQL: " + keyword + " (only SELECT)");
    }
  }
  KUMO_RETURN_IF_ERROR(StoredNames(db, &guard.stored));
  guard.deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.time_limit_ms);
  sqlite3_set_authorizer(raw, Authorize, &guard);
  sqlite3_progress_handler(raw, 1000, Progress, &guard);

  sqlite3_stmt* stmt_raw = nullptr;
  const char* tail = nullptr;
  rc = sqlite3_prepare_v3(raw, sql.data(), static_cast<int>(sql.size()), 0, &stmt_raw, &tail);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(stmt_raw, sqlite3_finalize);
  // A refusal can also surface as another error (a table-valued function's constructor).
  if (rc == SQLITE_AUTH || (rc != SQLITE_OK && !guard.denied.empty())) return Denied(guard);
  if (guard.timed_out) return Status::InvalidArgument("the query ran past its time limit");
  if (rc != SQLITE_OK) return Status::InvalidArgument(sqlite3_errmsg(raw));
  if (!stmt) return Status::InvalidArgument("no SQL statement");
  if (!OnlyTrivia(std::string_view(tail, sql.data() + sql.size() - tail))) {
    return Status::InvalidArgument("exactly one SQL statement is allowed");
  }
  if (!sqlite3_stmt_readonly(stmt.get())) return Denied(guard);

  SqlResult out;
  const int n = sqlite3_column_count(stmt.get());
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt.get(), i);
    out.columns.push_back(MakeValidUtf8(name ? name : ""));
  }
  while (true) {
    rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      if (guard.timed_out) {
        return Status::InvalidArgument("the query ran past its time limit of " +
                                       std::to_string(options.time_limit_ms) + " ms");
      }
      return Status::InvalidArgument(sqlite3_errmsg(raw));
    }
    if (static_cast<int64_t>(out.rows.size()) >= options.row_cap) {
      out.truncated = true;
      break;
    }
    nlohmann::json row = nlohmann::json::array();
    for (int i = 0; i < n; ++i) row.push_back(Value(stmt.get(), i));
    out.rows.push_back(std::move(row));
  }
  return out;
}

nlohmann::json SqlResultJson(const SqlResult& result) {
  return {{"columns", result.columns}, {"rows", result.rows}, {"truncated", result.truncated}};
}

}  // namespace kumo::catalog
