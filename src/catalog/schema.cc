#include "catalog/schema.h"

namespace kumo::catalog {
namespace {

constexpr std::string_view kDdl = R"sql(
CREATE TABLE catalog_state(name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE obj(
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  content_type TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  owner TEXT NOT NULL,
  user_meta TEXT NOT NULL,
  tags TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  parts INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  UNIQUE(bucket, key));
CREATE INDEX obj_type ON obj(content_type, bucket);
CREATE INDEX obj_size ON obj(size);
CREATE INDEX obj_mtime ON obj(last_modified);
CREATE TABLE attr(
  object_id INTEGER NOT NULL REFERENCES obj(id) ON DELETE CASCADE,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  num REAL,
  str TEXT,
  PRIMARY KEY(object_id, namespace, name)) WITHOUT ROWID;
CREATE INDEX attr_num ON attr(name, num);
CREATE INDEX attr_str ON attr(name, str);
CREATE VIRTUAL TABLE fts USING fts5(key, meta, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE fts_row(object_id INTEGER NOT NULL REFERENCES obj(id) ON DELETE CASCADE,
                     namespace TEXT NOT NULL, fts_rowid INTEGER NOT NULL,
                     PRIMARY KEY(object_id, namespace)) WITHOUT ROWID;
CREATE INDEX fts_row_rowid ON fts_row(fts_rowid);
)sql";

Result<int64_t> UserVersion(Db& db) {
  KUMO_ASSIGN_OR_RETURN(Stmt st, db.Prepare("PRAGMA user_version"));
  KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st.Step());
  if (r != Stmt::StepResult::kRow) return Status::Corruption("PRAGMA user_version: no row");
  return st.ColumnInt64(0);
}

}  // namespace

std::string CatalogDir(std::string_view data_dir) {
  std::string dir(data_dir);
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return dir + "catalog";
}

std::string CatalogDbPath(std::string_view data_dir) {
  return CatalogDir(data_dir) + "/catalog.db";
}

Status CreateSchema(Db& db) {
  KUMO_ASSIGN_OR_RETURN(int64_t version, UserVersion(db));
  if (version == kSchemaVersion) return Status::OK();
  if (version != 0) {
    return Status::Corruption("catalog schema version " + std::to_string(version) +
                              " is not supported (this kumod knows version " +
                              std::to_string(kSchemaVersion) + ")");
  }
  Transaction txn(&db);
  KUMO_RETURN_IF_ERROR(txn.Begin());
  // Another connection may have created it between the check and BEGIN IMMEDIATE.
  KUMO_ASSIGN_OR_RETURN(version, UserVersion(db));
  if (version == kSchemaVersion) return Status::OK();
  KUMO_RETURN_IF_ERROR(db.Exec(kDdl));
  KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion)));
  return txn.Commit();
}

}  // namespace kumo::catalog
