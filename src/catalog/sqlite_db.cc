#include "catalog/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace kumo::catalog {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += " (sqlite " + std::to_string(rc) + ")";
  switch (rc & 0xff) {
    case SQLITE_ERROR:
    case SQLITE_AUTH:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
      return Status::InvalidArgument(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

// ---- Stmt ----

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

namespace {
Status BindResult(sqlite3* db, int rc, int i) {
  if (rc == SQLITE_OK) return Status::OK();
  return SqliteError(db, rc, "bind parameter " + std::to_string(i));
}
}  // namespace

Status Stmt::BindInt64(int i, int64_t v) {
  return BindResult(db_, sqlite3_bind_int64(stmt_, i, v), i);
}

Status Stmt::Bind(int i, double v) { return BindResult(db_, sqlite3_bind_double(stmt_, i, v), i); }

Status Stmt::Bind(int i, std::string_view v) {
  // A non-null pointer even for an empty view: a null pointer would bind NULL.
  return BindResult(db_,
                    sqlite3_bind_text64(stmt_, i, v.empty() ? "" : v.data(), v.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8),
                    i);
}

Status Stmt::Bind(int i, std::nullptr_t) { return BindResult(db_, sqlite3_bind_null(stmt_, i), i); }

Result<Stmt::StepResult> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return StepResult::kRow;
  if (rc == SQLITE_DONE) return StepResult::kDone;
  return SqliteError(db_, rc, "step");
}

Status Stmt::Run() {
  for (;;) {
    auto r = Step();
    if (!r.ok()) {
      Reset();
      return r.status();
    }
    if (*r == StepResult::kDone) break;
  }
  Reset();
  return Status::OK();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Stmt::ColumnCount() const { return sqlite3_column_count(stmt_); }

std::string_view Stmt::ColumnName(int i) const {
  const char* n = sqlite3_column_name(stmt_, i);
  return n != nullptr ? std::string_view(n) : std::string_view();
}

int Stmt::ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }
bool Stmt::ColumnIsNull(int i) const { return ColumnType(i) == SQLITE_NULL; }
int64_t Stmt::ColumnInt64(int i) const { return sqlite3_column_int64(stmt_, i); }
double Stmt::ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }

std::string_view Stmt::ColumnText(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_, i);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

// ---- Db ----

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Db::~Db() { sqlite3_close_v2(db_); }

Result<Db> Db::Open(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);  // closes raw on every path out
  if (rc != SQLITE_OK) return SqliteError(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  if (!read_only) {
    // The first statement reads the header: a file that is no database fails here.
    KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
    KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
    KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  }
  return db;
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "exec");
  return Status::OK();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_, rc, "prepare");
  }
  if (stmt == nullptr) return Status::InvalidArgument("prepare: empty statement");
  return Stmt(db_, stmt);
}

int64_t Db::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Db::Changes() const { return sqlite3_changes64(db_); }

// ---- Transaction ----

Transaction::~Transaction() {
  if (open_) db_->Exec("ROLLBACK").PermitUnchecked();
}

Status Transaction::Begin() {
  KUMO_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  open_ = true;
  return Status::OK();
}

Status Transaction::Commit() {
  KUMO_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  open_ = false;
  return Status::OK();
}

}  // namespace kumo::catalog
