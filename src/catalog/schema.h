// The catalog database's schema (catalog contract, "Database"): where the file lives and
// the DDL that creates it, versioned with PRAGMA user_version.
//
// Thread safety: plain functions; CreateSchema uses the given connection, which the
// caller does not share meanwhile.
#pragma once

#include <string>
#include <string_view>

#include "catalog/sqlite_db.h"
#include "common/status.h"

namespace kumo::catalog {

// PRAGMA user_version of a database this code created.
inline constexpr int kSchemaVersion = 1;

// <data_dir>/catalog (created 0700 by the catalog) and <data_dir>/catalog/catalog.db.
std::string CatalogDir(std::string_view data_dir);
std::string CatalogDbPath(std::string_view data_dir);

// Creates the tables, indexes and the fts5 table in one transaction when the database is
// new (user_version 0), then sets user_version = kSchemaVersion. A database already at
// kSchemaVersion is left as is. Errors: kCorruption for any other version (a newer
// kumod made it), SqliteError otherwise.
Status CreateSchema(Db& db);

}  // namespace kumo::catalog
