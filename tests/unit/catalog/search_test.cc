#include "catalog/search.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "catalog/search_sql.h"
#include "catalog_rows.h"

namespace kumo::catalog {
namespace {

using testing::CatalogRows;
using testing::ObjRow;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kDay = 86400000;
constexpr int64_t kJan1 = 1767225600000;  // 2026-01-01T00:00:00Z

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int64_t a =
        rows_.Add({"photos", "2026/beach.jpg", 3000, "image/jpeg", kJan1, {{"color", "blue"}}, {}});
    rows_.Num(a, "metadata", "exif.iso", 200);
    rows_.Num(a, "metadata", "gps.lat", 48.8566);
    rows_.Num(a, "metadata", "gps.lon", 2.3522);
    double one = 1;
    std::string t = "true";
    rows_.Attr(a, "metadata", "flash", &one, &t);
    rows_.Text(a, "metadata", "", "", "a sunset over the quiet beach with waves");
    int64_t b = rows_.Add({"photos",
                           "2026/city.png",
                           1000,
                           "image/png",
                           kJan1 + kDay,
                           {{"color", "red"}, {"year", "2024"}},
                           {{"camera", "x100"}}});
    rows_.Num(b, "metadata", "exif.iso", 800);
    rows_.Num(b, "metadata", "gps.lat", 48.86);  // ~0.5 km from a
    rows_.Num(b, "metadata", "gps.lon", 2.36);
    double taken = 1772359200;  // with its str: a date
    std::string taken_text = "2026-03-01T10:00:00Z";
    rows_.Attr(b, "metadata", "taken", &taken, &taken_text);
    int64_t c =
        rows_.Add({"photos", "2025/old.jpg", 5000, "image/jpeg", kJan1 - 30 * kDay, {}, {}});
    rows_.Num(c, "metadata", "gps.lat", 40.7);  // New York
    rows_.Num(c, "metadata", "gps.lon", -74.0);
    rows_.Add({"docs",
               "report.pdf",
               20000,
               "application/pdf",
               kJan1 + 2 * kDay,
               {},
               {{"author", "kim"}}});
    rows_.Add({"private", "secret.txt", 10, "text/plain", kJan1, {{"color", "blue"}}, {}});
  }

  std::vector<std::string> Keys(const Params& p, const BucketVisible& visible = {}) {
    auto q = ParseSearchQuery(p);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto r = Search(rows_.path(), *q, visible);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> keys;
    if (r.ok()) {
      for (const auto& h : r->hits) keys.push_back(h.bucket + "/" + h.key);
    }
    return keys;
  }

  SearchResult Run(const Params& p) {
    auto q = ParseSearchQuery(p);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto r = Search(rows_.path(), *q, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResult{};
  }

  CatalogRows rows_;
};

using V = std::vector<std::string>;

TEST_F(SearchTest, ScopeFilters) {
  EXPECT_EQ(Keys({}), (V{"photos/2025/old.jpg", "photos/2026/beach.jpg", "photos/2026/city.png",
                         "docs/report.pdf", "private/secret.txt"}));
  EXPECT_EQ(Keys({{"bucket", "photos"}, {"prefix", "2026/"}}),
            (V{"photos/2026/beach.jpg", "photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"type", "image/*"}, {"bucket", "photos"}}).size(), 3u);
  EXPECT_EQ(Keys({{"type", "image/png"}}), (V{"photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"min_size", "1000"}, {"max_size", "3000"}}),
            (V{"photos/2026/beach.jpg", "photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"modified_after", "2026-01-01T00:00:00Z"}}),
            (V{"photos/2026/city.png", "docs/report.pdf"}));
  EXPECT_EQ(Keys({{"modified_before", "2026-01-01"}}), (V{"photos/2025/old.jpg"}));
}

TEST_F(SearchTest, WhereConditions) {
  EXPECT_EQ(Keys({{"where", "tag.color=blue"}}),
            (V{"photos/2026/beach.jpg", "private/secret.txt"}));
  EXPECT_EQ(Keys({{"where", "tag.year=2024"}}), (V{"photos/2026/city.png"}))
      << "numbers match text";
  EXPECT_EQ(Keys({{"where", "meta.camera~x1*"}}), (V{"photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"where", "exif.iso>=400"}}), (V{"photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"where", "exif.iso<400"}}), (V{"photos/2026/beach.jpg"}));
  EXPECT_EQ(Keys({{"where", "exif.iso!=200"}}), (V{"photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"where", "taken>2026-02-01"}}), (V{"photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"where", "size>4000"}, {"where", "content_type~image/*"}}),
            (V{"photos/2025/old.jpg"}));
  EXPECT_EQ(Keys({{"where", "key~*.pdf"}}), (V{"docs/report.pdf"}));
  EXPECT_EQ(Keys({{"where", "bucket=docs"}}), (V{"docs/report.pdf"}));
  EXPECT_EQ(Keys({{"where", "last_modified>=2026-01-03"}}), (V{"docs/report.pdf"}));
  EXPECT_EQ(Keys({{"where", "tag.color=blue"}, {"where", "exif.iso=200"}}),
            (V{"photos/2026/beach.jpg"}));
  EXPECT_TRUE(Keys({{"where", "nothing=1"}}).empty());
  // A value that looks like SQL is just a value.
  EXPECT_TRUE(Keys({{"where", "tag.color=x' OR 1=1 --"}}).empty());
}

TEST_F(SearchTest, Near) {
  EXPECT_EQ(Keys({{"near", "48.8566,2.3522,1km"}}),
            (V{"photos/2026/beach.jpg", "photos/2026/city.png"}));
  EXPECT_EQ(Keys({{"near", "48.8566,2.3522,100m"}}), (V{"photos/2026/beach.jpg"}));
  EXPECT_EQ(Keys({{"near", "48.8566,2.3522,6000km"}}).size(), 3u);
  EXPECT_NEAR(HaversineKm(48.8566, 2.3522, 40.7128, -74.006), 5837, 5);
}

TEST_F(SearchTest, TextWithSnippetAndRank) {
  SearchResult r = Run({{"text", "sunset beach"}});
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].key, "2026/beach.jpg");
  ASSERT_TRUE(r.hits[0].snippet);
  EXPECT_NE(r.hits[0].snippet->find("[sunset]"), std::string::npos) << *r.hits[0].snippet;
  EXPECT_EQ(Keys({{"text", "report"}}), (V{"docs/report.pdf"})) << "key words";
  EXPECT_EQ(Keys({{"text", "kim"}}), (V{"docs/report.pdf"})) << "metadata values";
  EXPECT_EQ(Keys({{"text", "2026"}}).size(), 2u);
  // FTS syntax in the words is taken literally.
  EXPECT_TRUE(Keys({{"text", "NEAR( \" * OR"}}).empty());
  EXPECT_EQ(Keys({{"text", "jpg"}, {"sort", "key"}}),
            (V{"photos/2025/old.jpg", "photos/2026/beach.jpg"}));
}

TEST_F(SearchTest, AttributesAreTyped) {
  SearchResult r = Run({{"bucket", "photos"}, {"prefix", "2026/b"}});
  ASSERT_EQ(r.hits.size(), 1u);
  const auto& a = r.hits[0].attributes;
  EXPECT_EQ(a["exif.iso"], 200);
  EXPECT_TRUE(a["exif.iso"].is_number_integer());
  EXPECT_DOUBLE_EQ(a["gps.lat"].get<double>(), 48.8566);
  EXPECT_EQ(a["flash"], true);
  EXPECT_FALSE(a.contains("tag.color")) << "the s3 namespace is not an attribute of results";
  r = Run({{"prefix", "2026/c"}});
  EXPECT_EQ(r.hits[0].attributes["taken"], "2026-03-01T10:00:00Z");
  nlohmann::json j = SearchResultJson(r);
  EXPECT_EQ(j["results"][0]["last_modified"], "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(j["results"][0]["etag"], "e2026/city.png");
  EXPECT_TRUE(j["next"].is_null());
  EXPECT_FALSE(j["results"][0].contains("snippet"));
}

// Pages of every sort, walked with the continuation token, equal one big page.
TEST_F(SearchTest, ContinuationPagesEverySort) {
  for (int i = 0; i < 25; ++i) {
    int64_t id = rows_.Add(
        {"bulk",
         std::string("k").append(std::to_string(i % 7)).append("-").append(std::to_string(i)),
         i % 5,
         "text/plain",
         kJan1 + (i % 3) * kDay,
         {},
         {}});
    if (i % 4 != 0) rows_.Num(id, "metadata", "score", i % 6);
  }
  for (const char* sort :
       {"key", "-key", "size", "-size", "last_modified", "-last_modified", "score", "-score"}) {
    V all = Keys({{"bucket", "bulk"}, {"sort", sort}, {"limit", "1000"}});
    V paged;
    std::string token;
    for (int page = 0; page < 30; ++page) {
      Params p = {{"bucket", "bulk"}, {"sort", sort}, {"limit", "4"}};
      if (!token.empty()) p.push_back({"continuation", token});
      SearchResult r = Run(p);
      for (const auto& h : r.hits) paged.push_back(h.bucket + "/" + h.key);
      if (!r.next) break;
      token = *r.next;
    }
    EXPECT_EQ(paged, all) << sort;
    EXPECT_EQ(all.size(), std::string(sort).find("score") != std::string::npos ? 18u : 25u) << sort;
  }
  // Text, by rank.
  V all = Keys({{"text", "k3"}, {"limit", "1000"}});
  SearchResult first = Run({{"text", "k3"}, {"limit", "2"}});
  ASSERT_TRUE(first.next);
  SearchResult rest = Run({{"text", "k3"}, {"limit", "100"}, {"continuation", *first.next}});
  EXPECT_EQ(first.hits.size() + rest.hits.size(), all.size());
}

TEST_F(SearchTest, OnlyVisibleBuckets) {
  std::set<std::string> asked;
  BucketVisible photos_only = [&asked](std::string_view b) {
    asked.insert(std::string(b));
    return b == "photos";
  };
  EXPECT_EQ(Keys({{"where", "tag.color=blue"}}, photos_only), (V{"photos/2026/beach.jpg"}));
  EXPECT_EQ(asked, (std::set<std::string>{"docs", "photos", "private"}));
  EXPECT_TRUE(Keys({{"bucket", "private"}}, photos_only).empty());
  EXPECT_TRUE(Keys({{"where", "bucket=private"}}, photos_only).empty());
  EXPECT_TRUE(Keys({{"text", "secret"}}, photos_only).empty());
  EXPECT_TRUE(Keys({}, [](std::string_view) { return false; }).empty());
  EXPECT_EQ(Keys({}, [](std::string_view) { return true; }).size(), 5u);
}

// The main forms are driven by an index, never by a scan of obj.
TEST_F(SearchTest, QueryPlansUseIndexes) {
  auto plan = [this](const Params& p, const BucketVisible& v = {}) {
    auto q = ParseSearchQuery(p);
    EXPECT_TRUE(q.ok());
    auto e = ExplainSearch(rows_.path(), *q, v);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? *e : std::string();
  };
  auto expect = [](const std::string& plan, const std::string& want) {
    EXPECT_NE(plan.find(want), std::string::npos) << "want " << want << " in\n" << plan;
    EXPECT_EQ(plan.find("SCAN obj"), std::string::npos) << plan;
    // A per-object attribute lookup must seek the primary key, never walk a name's entries.
    EXPECT_EQ(plan.find("attr_num (name=?)\n"), std::string::npos) << plan;
  };
  expect(plan({{"bucket", "photos"}, {"prefix", "2026/"}}),
         "SEARCH obj USING INDEX sqlite_autoindex_obj_1 (bucket=? AND key>? AND key<?)");
  expect(plan({{"type", "image/*"}}), "USING INDEX obj_type (content_type>? AND content_type<?)");
  expect(plan({{"min_size", "10"}, {"max_size", "100"}, {"sort", "size"}}),
         "USING INDEX obj_size (size>? AND size<?)");
  expect(plan({{"modified_after", "2026-01-01"}}), "USING INDEX obj_mtime (last_modified>?)");
  expect(plan({{"where", "exif.iso>=400"}}), "USING COVERING INDEX attr_num (name=? AND num>?)");
  expect(plan({{"where", "tag.color=blue"}}), "USING COVERING INDEX attr_str (name=? AND str=?)");
  expect(plan({{"near", "48.8,2.3,5km"}}), "attr_num (name=? AND num>? AND num<?)");
  expect(plan({{"text", "beach"}}), "VIRTUAL TABLE INDEX");
  expect(plan({{"near", "48.8,2.3,5km"}}), "SEARCH attr USING PRIMARY KEY (object_id=?)");
  expect(plan({{"bucket", "photos"}, {"sort", "exif.iso"}}), "PRIMARY KEY (object_id=?)");
  expect(plan({{"bucket", "photos"}, {"sort", "-size"}, {"where", "tag.color=blue"}}), "attr_str");
  // A user's bucket list is an index lookup per bucket too.
  expect(plan({{"sort", "key"}, {"where", "exif.iso>=400"}},
              [](std::string_view b) { return b == "photos"; }),
         "attr_num");
}

// A database replaced at the same path (the catalog sets a damaged one aside with its
// -wal/-shm and starts a new one) is the one searched next, not the file that pooled
// connections still hold.
TEST(SearchPoolTest, AReplacedDatabaseIsReadAfresh) {
  storage::testing::TempDir dir;
  auto make = [](const std::string& path, const std::string& bucket, int rows) {
    auto db = Db::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(CreateSchema(*db).ok());
    for (int i = 0; i < rows; ++i) {
      ASSERT_TRUE(db->Exec("INSERT INTO obj(bucket, key, size, etag, content_type, "
                           "last_modified, owner, user_meta, tags, checksum_algorithm, parts, "
                           "seq) VALUES('" +
                           bucket + "', 'k" + std::to_string(i) +
                           "', 1, 'e', 't', 0, 'o', '{}', '{}', '', 0, 0)")
                      .ok());
    }
  };
  const std::string path = dir.path() + "/catalog.db";
  make(path, "old", 1);
  auto q = ParseSearchQuery({});
  ASSERT_TRUE(q.ok());
  auto r = Search(path, *q, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->hits.size(), 1u);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::rename((path + suffix).c_str(), (path + ".corrupt" + suffix).c_str());
  }
  make(dir.path() + "/new.db", "new", 2);
  ASSERT_EQ(std::rename((dir.path() + "/new.db").c_str(), path.c_str()), 0);
  r = Search(path, *q, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->hits.size(), 2u);
  EXPECT_EQ(r->hits[0].bucket, "new");
}

TEST(SearchSqlTest, PrefixUpperBound) {
  EXPECT_EQ(*PrefixUpperBound("ab"), "ac");
  EXPECT_EQ(*PrefixUpperBound("a\xff"), "b");
  EXPECT_FALSE(PrefixUpperBound(""));
  EXPECT_FALSE(PrefixUpperBound("\xff\xff"));
}

TEST(SearchSqlTest, UserValuesAreNeverInTheSql) {
  auto q = ParseSearchQuery({{"bucket", "b'x"},
                             {"prefix", "p'y"},
                             {"where", "n'z=v'w"},
                             {"text", "t'q"},
                             {"sort", "s'r"}});
  ASSERT_TRUE(q.ok());
  SearchSql sql = BuildSearchSql(*q, std::vector<std::string>{"b'x"});
  EXPECT_EQ(sql.sql.find("'x"), std::string::npos) << sql.sql;
  EXPECT_EQ(sql.sql.find("'y"), std::string::npos);
  EXPECT_EQ(sql.sql.find("'z"), std::string::npos);
  EXPECT_EQ(sql.sql.find("'w"), std::string::npos);
  EXPECT_EQ(sql.sql.find("'q"), std::string::npos);
  EXPECT_EQ(sql.sql.find("'r"), std::string::npos);
}

}  // namespace
}  // namespace kumo::catalog
