// A thin RAII layer over the SQLite C API for the object catalog: Db owns one
// connection, Stmt one prepared statement, Transaction one BEGIN..COMMIT. Every SQLite
// failure becomes a Status carrying SQLite's own message. The raw handles stay reachable
// (raw()) for what this layer does not wrap (authorizers, progress handlers, functions).
//
// Thread safety: none of these objects is synchronized. A Db (and the Stmts prepared on
// it) is used by one thread at a time; the catalog's writer connection is used under
// Catalog's mutex, and readers open connections of their own.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kumo::catalog {

// The Status of a failed SQLite call: kInvalidArgument for errors of the SQL itself
// (SQLITE_ERROR, SQLITE_AUTH, SQLITE_RANGE, SQLITE_MISMATCH, SQLITE_CONSTRAINT,
// SQLITE_TOOBIG), kCorruption for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB),
// kIOError for everything else. The message names what was being done,
// SQLite's message and its result code.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  enum class StepResult { kRow, kDone };

  Stmt() = default;
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds parameter i (1-based). Text is copied. Errors: kInvalidArgument (index out of
  // range).
  Status Bind(int i, std::integral auto v) { return BindInt64(i, static_cast<int64_t>(v)); }
  Status Bind(int i, double v);
  Status Bind(int i, std::string_view v);
  Status Bind(int i, std::nullptr_t);
  Status BindInt64(int i, int64_t v);

  // Runs the statement one step: kRow when a row is available through the Column
  // getters, kDone when finished. Errors: SqliteError.
  Result<StepResult> Step();
  // Steps until done, ignoring any rows (for INSERT/UPDATE/DELETE), then resets.
  Status Run();
  // Makes the statement runnable again and clears its bindings.
  void Reset();

  int ColumnCount() const;
  std::string_view ColumnName(int i) const;
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int ColumnType(int i) const;
  bool ColumnIsNull(int i) const;
  int64_t ColumnInt64(int i) const;
  double ColumnDouble(int i) const;
  // Valid until the next Step, Reset or destruction.
  std::string_view ColumnText(int i) const;
  std::string ColumnString(int i) const { return std::string(ColumnText(i)); }

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  friend class Db;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  Db() = default;
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Opens (read-write: creating if missing) the database file at path. Every connection
  // gets busy_timeout 5000 ms. A read-write connection is switched to WAL with
  // synchronous=NORMAL (a committed transaction survives a kill -9 of the process) and
  // foreign_keys=ON. read_only opens with SQLITE_OPEN_READONLY. Errors: kIOError.
  static Result<Db> Open(const std::string& path, bool read_only);

  // Runs one or more statements, discarding rows. Errors: SqliteError.
  Status Exec(std::string_view sql);
  // Compiles one statement (trailing text after it is ignored). Errors: SqliteError.
  Result<Stmt> Prepare(std::string_view sql);

  int64_t LastInsertRowid() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction via Begin(); rolls back on destruction unless
// Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();

 private:
  Db* db_;
  bool open_ = false;
};

}  // namespace kumo::catalog
