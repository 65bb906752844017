#include "catalog/sql_query.h"

#include <gtest/gtest.h>

#include "catalog_rows.h"

namespace kumo::catalog {
namespace {

using testing::CatalogRows;

class SqlQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int64_t a =
        rows_.Add({"photos", "a.jpg", 3000, "image/jpeg", 1767225600000, {{"color", "blue"}}, {}});
    rows_.Num(a, "metadata", "exif.iso", 200);
    rows_.Text(a, "metadata", "", "", "a sunset");
    int64_t b =
        rows_.Add({"photos", "b.png", 1000, "image/png", 1767225600000, {}, {{"camera", "x"}}});
    rows_.Num(b, "metadata", "exif.iso", 800);
    rows_.Add({"private", "secret.txt", 10, "text/plain", 1767225600000, {{"color", "red"}}, {}});
  }

  SqlResult Ok(const std::string& sql, const std::function<bool(std::string_view)>& visible = {},
               SqlOptions options = {}) {
    auto r = RunSql(rows_.path(), sql, visible, options);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? *r : SqlResult{};
  }

  Status Err(const std::string& sql, SqlOptions options = {}) {
    auto r = RunSql(rows_.path(), sql, {}, options);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? Status::OK() : r.status();
  }

  CatalogRows rows_;
};

TEST_F(SqlQueryTest, SelectsOverTheViews) {
  SqlResult r =
      Ok("SELECT bucket, key, size, last_modified, multipart, tags FROM objects "
         "ORDER BY bucket, key");
  EXPECT_EQ(r.columns, (std::vector<std::string>{"bucket", "key", "size", "last_modified",
                                                 "multipart", "tags"}));
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0], (nlohmann::json{"photos", "a.jpg", 3000, "2026-01-01T00:00:00.000Z", 0,
                                       "{\"color\":\"blue\"}"}));
  EXPECT_FALSE(r.truncated);

  r =
      Ok("SELECT o.key, a.value FROM objects o JOIN attributes a USING (bucket, key) "
         "WHERE a.name = 'exif.iso' AND a.num > 500");
  EXPECT_EQ(r.rows, nlohmann::json::array({nlohmann::json::array({"b.png", 800.0})}));

  r =
      Ok("SELECT bucket, count(*), sum(size), max(size) FROM objects GROUP BY bucket "
         "ORDER BY bucket");
  EXPECT_EQ(r.rows, (nlohmann::json{{"photos", 2, 4000, 3000}, {"private", 1, 10, 10}}));

  r = Ok("SELECT key, json_extract(tags, '$.color') FROM objects WHERE tags != '{}' ORDER BY 1");
  EXPECT_EQ(r.rows, nlohmann::json::array({nlohmann::json::array({"a.jpg", "blue"}),
                                           nlohmann::json::array({"secret.txt", "red"})}));

  r = Ok("SELECT key, body FROM text WHERE namespace = 'metadata'");
  EXPECT_EQ(r.rows, nlohmann::json::array({nlohmann::json::array({"a.jpg", "a sunset"})}));

  r =
      Ok("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
         "SELECT sum(i), row_number() OVER () FROM n");
  EXPECT_EQ(r.rows, (nlohmann::json{{15, 1}}));

  r = Ok("SELECT 1 -- a comment\n;  /* another */");
  EXPECT_EQ(r.rows.size(), 1u);
  r = Ok("SELECT x'ff00', CAST(x'ff' AS TEXT), 1.5, NULL");
  EXPECT_EQ(r.rows, (nlohmann::json{{"ff00", "\xef\xbf\xbd", 1.5, nullptr}}));
}

TEST_F(SqlQueryTest, InvisibleBucketsNeverAppear) {
  auto photos = [](std::string_view b) { return b == "photos"; };
  EXPECT_EQ(Ok("SELECT DISTINCT bucket FROM objects", photos).rows, (nlohmann::json{{"photos"}}));
  EXPECT_EQ(Ok("SELECT count(*) FROM attributes WHERE bucket = 'private'", photos).rows,
            (nlohmann::json{{0}}));
  EXPECT_EQ(Ok("SELECT count(*) FROM text WHERE bucket = 'private'", photos).rows,
            (nlohmann::json{{0}}));
  EXPECT_EQ(Ok("SELECT count(*) FROM objects", [](std::string_view) { return false; }).rows,
            (nlohmann::json{{0}}));
  // Calling the predicate function by hand changes nothing.
  EXPECT_EQ(Ok("SELECT count(*) FROM objects WHERE kumo_visible('private') OR 1", photos).rows,
            (nlohmann::json{{2}}));
}

TEST_F(SqlQueryTest, RefusesWritesPragmasAttachAndTables) {
  for (const char* sql : {
           "INSERT INTO obj(bucket) VALUES('x')",
           "UPDATE obj SET size = 0",
           "DELETE FROM attr",
           "DELETE FROM objects",
           "  /* c */ update objects SET size = 0",
           "INSERT INTO attributes VALUES(1,2,3,4,5,6,7)",
           "DROP TABLE obj",
           "DROP VIEW objects",
           "CREATE TABLE t(x)",
           "CREATE TEMP TABLE t(x)",
           "ATTACH DATABASE ':memory:' AS x",
           "PRAGMA table_info(obj)",
           "SELECT * FROM pragma_table_info('obj')",
           "SELECT * FROM obj",
           "SELECT key FROM main.obj",
           "SELECT * FROM attr",
           "SELECT * FROM fts WHERE fts MATCH 'x'",
           "SELECT * FROM sqlite_master",
           "SELECT * FROM json_each('[1]')",
           "SELECT * FROM fts_content",
           "WITH o AS (SELECT * FROM obj) SELECT * FROM o",
           "SELECT (SELECT count(*) FROM obj)",
           "SELECT count(*) FROM main.obj",
           "SELECT count(*) FROM sqlite_master",
           "SELECT count(*) FROM fts_content",
           "WITH obj(i) AS (SELECT 1) SELECT count(*) FROM OBJ",
           "SELECT randomblob(10)",
           "SELECT load_extension('x')",
           "BEGIN",
       }) {
    Status s = Err(sql);
    EXPECT_EQ(s.code(), ErrorCode::kAccessDenied) << sql << ": " << s.ToString();
  }
}

TEST_F(SqlQueryTest, BadSqlAndSecondStatements) {
  Status s = Err("SELEC 1");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("syntax error"), std::string::npos) << s.message();
  s = Err("SELECT nope FROM objects");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no such column"), std::string::npos) << s.message();
  s = Err("SELECT 1; SELECT 2");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("one SQL statement"), std::string::npos);
  EXPECT_EQ(Err("SELECT 1; DELETE FROM obj").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Err("").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Err("  -- nothing\n").code(), ErrorCode::kInvalidArgument);
}

TEST_F(SqlQueryTest, TimeLimitAndRowCap) {
  SqlOptions fast;
  fast.time_limit_ms = 200;
  auto start = std::chrono::steady_clock::now();
  Status s =
      Err("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
          "SELECT count(*) FROM n",
          fast);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("time limit"), std::string::npos) << s.message();
  EXPECT_LT(took, std::chrono::seconds(3));

  SqlOptions small;
  small.row_cap = 10;
  SqlResult r =
      Ok("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
         "SELECT i FROM n",
         {}, small);
  EXPECT_EQ(r.rows.size(), 10u);
  EXPECT_TRUE(r.truncated);
  r = Ok("SELECT key FROM objects", {}, small);
  EXPECT_FALSE(r.truncated);
  nlohmann::json j = SqlResultJson(r);
  EXPECT_EQ(j["columns"], nlohmann::json{"key"});
  EXPECT_EQ(j["truncated"], false);
  EXPECT_EQ(j["rows"].size(), 3u);
}

}  // namespace
}  // namespace kumo::catalog
