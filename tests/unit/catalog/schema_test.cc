#include "catalog/schema.h"

#include <gtest/gtest.h>

#include <string>

#include "../storage/test_util.h"
#include "catalog/sqlite_db.h"

namespace kumo::catalog {
namespace {

using storage::testing::TempDir;

Db OpenDb(const std::string& path, bool read_only = false) {
  auto db = Db::Open(path, read_only);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : Db();
}

int64_t QueryInt(Db& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  if (!st.ok()) return -1;
  auto r = st->Step();
  EXPECT_TRUE(r.ok() && *r == Stmt::StepResult::kRow);
  return st->ColumnInt64(0);
}

TEST(SchemaTest, CreatesTablesAndVersionOnce) {
  TempDir dir;
  std::string path = dir.path() + "/catalog.db";
  {
    Db db = OpenDb(path);
    ASSERT_TRUE(CreateSchema(db).ok());
    EXPECT_EQ(QueryInt(db, "PRAGMA user_version"), kSchemaVersion);
    EXPECT_EQ(QueryInt(db,
                       "SELECT count(*) FROM sqlite_master WHERE name IN "
                       "('catalog_state','obj','attr','fts','fts_row')"),
              5);
    ASSERT_TRUE(db.Exec("INSERT INTO catalog_state VALUES('cursor', 7)").ok());
  }
  Db db = OpenDb(path);
  Status again = CreateSchema(db);  // an existing database is kept as is
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(QueryInt(db, "SELECT value FROM catalog_state WHERE name='cursor'"), 7);
}

TEST(SchemaTest, WriterIsWalWithForeignKeys) {
  TempDir dir;
  Db db = OpenDb(dir.path() + "/catalog.db");
  auto st = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->Step().ok());
  EXPECT_EQ(st->ColumnText(0), "wal");
  EXPECT_EQ(QueryInt(db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(db, "PRAGMA synchronous"), 1);  // NORMAL
}

TEST(SchemaTest, RefusesNewerVersion) {
  TempDir dir;
  Db db = OpenDb(dir.path() + "/catalog.db");
  ASSERT_TRUE(db.Exec("PRAGMA user_version = 99").ok());
  EXPECT_TRUE(CreateSchema(db).Is(ErrorCode::kCorruption));
}

TEST(SchemaTest, Fts5MatchesKeyWordsAndCascadesDeleteAttributes) {
  TempDir dir;
  Db db = OpenDb(dir.path() + "/catalog.db");
  ASSERT_TRUE(CreateSchema(db).ok());
  ASSERT_TRUE(db.Exec("INSERT INTO obj VALUES(1,'b','photos/Café-2024.jpg',3,'e','image/jpeg',"
                      "0,'o','{}','{}','',0,1)")
                  .ok());
  ASSERT_TRUE(db.Exec("INSERT INTO attr VALUES(1,'s3','tag.color',NULL,'red')").ok());
  auto ins = db.Prepare("INSERT INTO fts(key, meta, body) VALUES(?, ?, ?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->Bind(1, "photos Cafe 2024 jpg").ok());
  ASSERT_TRUE(ins->Bind(2, "red").ok());
  ASSERT_TRUE(ins->Bind(3, nullptr).ok());
  ASSERT_TRUE(ins->Run().ok());
  auto row = db.Prepare("INSERT INTO fts_row VALUES(1, 's3', ?)");
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->Bind(1, db.LastInsertRowid()).ok());
  ASSERT_TRUE(row->Run().ok());

  // remove_diacritics: "cafe" matches "Café".
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM fts WHERE fts MATCH 'cafe AND red'"), 1);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM fts WHERE fts MATCH 'meta:photos'"), 0);

  ASSERT_TRUE(db.Exec("DELETE FROM obj WHERE id = 1").ok());
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM attr"), 0);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM fts_row"), 0);
}

TEST(SchemaTest, ReadOnlyConnectionCannotWrite) {
  TempDir dir;
  std::string path = dir.path() + "/catalog.db";
  Db writer = OpenDb(path);
  ASSERT_TRUE(CreateSchema(writer).ok());
  Db reader = OpenDb(path, /*read_only=*/true);
  EXPECT_EQ(QueryInt(reader, "SELECT count(*) FROM obj"), 0);
  Status st = reader.Exec("INSERT INTO catalog_state VALUES('x', 1)");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("readonly"), std::string::npos) << st.message();
}

TEST(SqliteDbTest, ErrorsAreStatusesWithTheMessage) {
  TempDir dir;
  Db db = OpenDb(dir.path() + "/x.db");
  auto bad = db.Prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().Is(ErrorCode::kInvalidArgument));
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos);
  EXPECT_FALSE(Db::Open(dir.path() + "/missing/dir/x.db", false).ok());
}

TEST(SqliteDbTest, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  Db db = OpenDb(dir.path() + "/x.db");
  ASSERT_TRUE(db.Exec("CREATE TABLE t(v)").ok());
  {
    Transaction txn(&db);
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES(1)").ok());
  }
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 0);
  {
    Transaction txn(&db);
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES(2)").ok());
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM t"), 1);
  auto st = db.Prepare("SELECT v, typeof(v) FROM t");
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(*st->Step(), Stmt::StepResult::kRow);
  EXPECT_EQ(st->ColumnInt64(0), 2);
  EXPECT_EQ(st->ColumnText(1), "integer");
  EXPECT_EQ(*st->Step(), Stmt::StepResult::kDone);
}

}  // namespace
}  // namespace kumo::catalog
