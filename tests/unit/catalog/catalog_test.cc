#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "../storage/test_util.h"
#include "catalog/schema.h"
#include "catalog/sqlite_db.h"
#include "storage/store.h"

namespace kumo::catalog {
namespace {

using storage::testing::TempDir;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions o;
    o.data_dir = dir_.path();
    o.compaction_interval_ms = 0;
    auto s = storage::Store::Open(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    storage::BucketInfo b;
    b.name = "b";
    b.owner = "owner";
    ASSERT_TRUE(store_->CreateBucket(b).ok());
    OpenCatalog();
  }

  void OpenCatalog() {
    catalog_.reset();
    CatalogOptions co;
    co.data_dir = dir_.path();
    co.batch = 3;  // several batches per test
    auto c = Catalog::Open(co, store_.get());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(c).value();
  }

  // Writes key with its ObjectCreated:Put event (none when event is false).
  void Put(const std::string& key, const std::string& data, const std::string& etag,
           std::vector<std::pair<std::string, std::string>> meta = {}, bool event = true) {
    auto w = store_->NewObjectWriter("b", key, static_cast<int64_t>(data.size()));
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Append(data).ok());
    storage::ObjectMeta m;
    m.etag = etag;
    m.content_type = "text/plain";
    m.owner = "owner";
    m.user_meta = std::move(meta);
    storage::EventIntent intent;
    intent.name = "ObjectCreated:Put";
    ASSERT_TRUE((*w)->Commit(m, event ? &intent : nullptr).ok());
  }
  void Tag(const std::string& key, std::vector<std::pair<std::string, std::string>> tags) {
    storage::EventIntent intent;
    intent.name = "ObjectTagging:Put";
    auto r = store_->UpdateObjectMeta(
        "b", key,
        [&](storage::ObjectMeta& m) {
          m.tags = tags;
          return Status::OK();
        },
        &intent);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void Delete(const std::string& key, bool event = true) {
    storage::EventIntent intent;
    intent.name = "ObjectRemoved:Delete";
    ASSERT_TRUE(store_->DeleteObject("b", key, event ? &intent : nullptr).ok());
  }
  void CatchUp() {
    auto r = catalog_->CatchUp();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, store_->events()->Watermark());
  }

  // Rows of a query on a read-only connection, each row's columns joined with '|', once
  // the queued attribute writes are applied (the attribute thread does that within
  // milliseconds; the tests do not start it).
  std::vector<std::string> Query(const std::string& sql) {
    Status applied = catalog_->ApplyPendingAttributes();
    EXPECT_TRUE(applied.ok()) << applied.ToString();
    auto db = Db::Open(catalog_->db_path(), /*read_only=*/true);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return {};
    auto st = db->Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok()) return {};
    std::vector<std::string> out;
    for (;;) {
      auto r = st->Step();
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || *r == Stmt::StepResult::kDone) break;
      std::string row;
      for (int i = 0; i < st->ColumnCount(); ++i) {
        if (i) row += "|";
        row += st->ColumnIsNull(i) ? "NULL" : st->ColumnString(i);
      }
      out.push_back(row);
    }
    return out;
  }
  std::vector<std::string> Objects() {
    return Query("SELECT key, size, etag, user_meta, tags FROM obj ORDER BY key");
  }
  std::vector<std::string> Everything() {
    std::vector<std::string> all = Query("SELECT * FROM obj ORDER BY id");
    for (const char* sql :
         {"SELECT * FROM attr ORDER BY 1, 2, 3", "SELECT * FROM fts_row ORDER BY 1, 2",
          "SELECT rowid, * FROM fts ORDER BY rowid", "SELECT * FROM catalog_state ORDER BY 1"}) {
      for (auto& r : Query(sql)) all.push_back(r);
    }
    return all;
  }
  std::vector<std::string> Namespace(const std::string& ns) {
    auto rows = Query(
        "SELECT o.key, a.name, a.num, a.str FROM attr a JOIN obj o ON o.id = "
        "a.object_id WHERE a.namespace = '" +
        ns + "' ORDER BY 1, 2");
    for (auto& r : Query("SELECT o.key, f.body FROM fts_row r JOIN obj o ON o.id = r.object_id "
                         "JOIN fts f ON f.rowid = r.fts_rowid WHERE r.namespace = '" +
                         ns + "' ORDER BY 1")) {
      rows.push_back("text:" + r);
    }
    return rows;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Catalog> catalog_;
};

// "k<i>" (built by append: GCC 12's -Wrestrict misfires on "k" + std::to_string(i)).
std::string NumberedKey(int i) {
  std::string key = "k";
  key.append(std::to_string(i));
  return key;
}

const std::string kE1 = "11111111111111111111111111111111";
const std::string kE2 = "22222222222222222222222222222222";

TEST_F(CatalogTest, PutOverwriteTaggingDeleteConverge) {
  Put("a/x.txt", "one", kE1, {{"color", "red"}});
  Put("b.txt", "four", kE1);
  Put("c", "c", kE1);
  CatchUp();
  EXPECT_EQ(Objects(),
            (std::vector<std::string>{"a/x.txt|3|" + kE1 + "|{\"color\":\"red\"}|{}",
                                      "b.txt|4|" + kE1 + "|{}|{}", "c|1|" + kE1 + "|{}|{}"}));
  Put("a/x.txt", "seven!!", kE2);
  Tag("b.txt", {{"team", "blue"}});
  Delete("c");
  CatchUp();
  EXPECT_EQ(Objects(), (std::vector<std::string>{"a/x.txt|7|" + kE2 + "|{}|{}",
                                                 "b.txt|4|" + kE1 + "|{}|{\"team\":\"blue\"}"}));
  // s3's text rows hold the key and metadata columns, no body.
  EXPECT_EQ(Namespace("s3"),
            (std::vector<std::string>{"b.txt|tag.team|NULL|blue", "text:a/x.txt|", "text:b.txt|"}));
  EXPECT_EQ(Query("SELECT count(*) FROM fts WHERE fts MATCH 'blue'"),
            (std::vector<std::string>{"1"}));
  // Path words of the key are searchable.
  EXPECT_EQ(Query("SELECT count(*) FROM fts WHERE fts MATCH 'x AND txt'"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(Query("SELECT count(*) FROM fts"), (std::vector<std::string>{"2"}));
  CatalogStatus s = catalog_->GetStatus();
  EXPECT_EQ(s.objects, 2);
  EXPECT_EQ(s.lag_events, 0u);
  EXPECT_EQ(s.cursor, store_->events()->Watermark());
  EXPECT_GT(s.db_bytes, 0u);
  // Every object event applied was timed (six: three puts, an overwrite, a tagging, a
  // delete), each commit to searchable well within the last bound.
  LatencySnapshot latency = catalog_->apply_latency();
  EXPECT_EQ(latency.count, 6u);
  EXPECT_EQ(latency.buckets.back(), 0u);
}

TEST_F(CatalogTest, ReapplyingOldEventsChangesNothing) {
  Put("k", "v1", kE1, {{"when", "2024-05-01"}});
  Put("k", "v2", kE2, {{"when", "2024-05-02"}});
  Put("gone", "x", kE1);
  Delete("gone");
  CatchUp();
  ASSERT_TRUE(catalog_->PutAttributes("b", "k", kE2, "fn", R"({"n": 1})", "hello").ok());
  const auto before = Everything();
  {
    // Back to the start of the event stream, as after a lost cursor write.
    auto db = Db::Open(catalog_->db_path(), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE catalog_state SET value = 0 WHERE name = 'cursor'").ok());
  }
  OpenCatalog();
  EXPECT_EQ(catalog_->GetStatus().cursor, 0u);
  CatchUp();
  EXPECT_EQ(Everything(), before);
}

TEST_F(CatalogTest, StaleEtagIsRefusedAndNothingStored) {
  Put("k", "v1", kE1);
  CatchUp();
  auto r = catalog_->PutAttributes("b", "k", kE2, "fn", R"({"w": 1})", "text");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(*r);
  EXPECT_TRUE(Namespace("fn").empty());
  r = catalog_->PutAttributes("b", "missing", kE1, "fn", R"({"w": 1})", "");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = catalog_->PutAttributes("b", "k", "\"" + kE1 + "\"", "fn", R"({"w": 1})", "some words");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"k|w|1.0|NULL", "text:k|some words"}));
}

TEST_F(CatalogTest, AttributesOfANewVersionArriveBeforeItsEvent) {
  Put("k", "v1", kE1);
  CatchUp();
  Put("k", "v2", kE2);  // the follower has not seen it yet: the refresh does
  auto r = catalog_->PutAttributes("b", "k", kE2, "fn", R"({"w": 2})", "");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  CatchUp();
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"k|w|2.0|NULL"}));
}

TEST_F(CatalogTest, OverwriteDropsFunctionAttributesTaggingKeepsThem) {
  Put("k", "v1", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"w": 1})", "words"));
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "other", R"({"z": "q"})", ""));
  Tag("k", {{"t", "1"}});
  CatchUp();
  EXPECT_EQ(Namespace("fn").size(), 2u);
  Put("k", "v2", kE2);
  CatchUp();
  EXPECT_TRUE(Namespace("fn").empty());
  EXPECT_TRUE(Namespace("other").empty());
  EXPECT_EQ(Query("SELECT count(*) FROM fts"), (std::vector<std::string>{"1"}));  // s3's
}

TEST_F(CatalogTest, ReplaceAndRemoveANamespace) {
  Put("k", "v1", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"a": 1, "b": 2})", "one"));
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"c": true})", "two"));
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"k|c|1.0|true", "text:k|two"}));
  ASSERT_TRUE(catalog_->RemoveAttributes("b", "k", "fn").ok());
  EXPECT_TRUE(Namespace("fn").empty());
  EXPECT_TRUE(catalog_->RemoveAttributes("b", "nothing", "fn").ok());
  EXPECT_EQ(Query("SELECT count(*) FROM fts"), (std::vector<std::string>{"1"}));
}

TEST_F(CatalogTest, BadAttributesAreInvalidArgumentAndStoreNothing) {
  Put("k", "v1", kE1);
  CatchUp();
  EXPECT_TRUE(catalog_->PutAttributes("b", "k", kE1, "s3", "{}", "")
                  .status()
                  .Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(catalog_->PutAttributes("b", "k", kE1, "", "{}", "")
                  .status()
                  .Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(catalog_->PutAttributes("b", "k", kE1, "fn", "[1]", "")
                  .status()
                  .Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(catalog_->RemoveAttributes("b", "k", "s3").Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(Namespace("fn").empty());
  // Text past the limit is cut, not refused.
  std::string text(kMaxText + 10, 'a');
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", "", text));
  EXPECT_EQ(Query("SELECT length(body) FROM fts WHERE body != ''"),
            (std::vector<std::string>{std::to_string(kMaxText)}));
}

TEST_F(CatalogTest, RebuildEqualsTheStoreAndKeepsAttributesOfUnchangedObjects) {
  Put("same", "s", kE1, {{"m", "1"}});
  Put("changed", "c", kE1);
  Put("removed", "r", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "same", kE1, "fn", R"({"w": 1})", "kept"));
  ASSERT_TRUE(*catalog_->PutAttributes("b", "changed", kE1, "fn", R"({"w": 2})", "dropped"));
  // Changes the catalog never hears of (no events).
  Put("changed", "cc", kE2, {}, /*event=*/false);
  Delete("removed", /*event=*/false);
  Put("added", "a", kE1, {}, /*event=*/false);
  storage::BucketInfo other;
  other.name = "other";
  ASSERT_TRUE(store_->CreateBucket(other).ok());
  Status rebuilt = catalog_->RebuildNow();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.ToString();
  EXPECT_EQ(Objects(),
            (std::vector<std::string>{"added|1|" + kE1 + "|{}|{}", "changed|2|" + kE2 + "|{}|{}",
                                      "same|1|" + kE1 + "|{\"m\":\"1\"}|{}"}));
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"same|w|1.0|NULL", "text:same|kept"}));
  CatalogStatus s = catalog_->GetStatus();
  EXPECT_EQ(s.cursor, store_->events()->Watermark());
  EXPECT_EQ(s.objects, 3);
  EXPECT_EQ(s.rebuild_scanned, 3u);
  EXPECT_GT(s.rebuilt_ms, 0);
  EXPECT_EQ(Query("SELECT count(*) FROM fts"), (std::vector<std::string>{"4"}));
}

TEST_F(CatalogTest, RebuildRemovesRowsOfDeletedBuckets) {
  storage::BucketInfo gone;
  gone.name = "gone";
  ASSERT_TRUE(store_->CreateBucket(gone).ok());
  auto w = store_->NewObjectWriter("gone", "k", 1);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("x").ok());
  storage::ObjectMeta m;
  m.etag = kE1;
  ASSERT_TRUE((*w)->Commit(m).ok());
  Put("k", "v", kE1);
  ASSERT_TRUE(catalog_->RebuildNow().ok());
  EXPECT_EQ(Query("SELECT bucket, key FROM obj ORDER BY 1"),
            (std::vector<std::string>{"b|k", "gone|k"}));
  ASSERT_TRUE(store_->DeleteObject("gone", "k").ok());
  ASSERT_TRUE(store_->DeleteBucket("gone").ok());
  ASSERT_TRUE(catalog_->RebuildNow().ok());
  EXPECT_EQ(Query("SELECT bucket, key FROM obj ORDER BY 1"), (std::vector<std::string>{"b|k"}));
  EXPECT_EQ(Query("SELECT count(*) FROM fts"), (std::vector<std::string>{"1"}));
  EXPECT_EQ(catalog_->GetStatus().objects, 1);
}

TEST_F(CatalogTest, CursorIsCommittedWithTheRows) {
  for (int i = 0; i < 7; ++i) Put(NumberedKey(i), "v", kE1);
  CatchUp();
  const std::string watermark = std::to_string(store_->events()->Watermark());
  EXPECT_EQ(Query("SELECT value FROM catalog_state WHERE name = 'cursor'"),
            (std::vector<std::string>{watermark}));
  EXPECT_EQ(Query("SELECT count(*), max(seq) FROM obj"),
            (std::vector<std::string>{"7|" + watermark}));
  OpenCatalog();  // the cursor and row count come back from the database
  CatalogStatus s = catalog_->GetStatus();
  EXPECT_EQ(std::to_string(s.cursor), watermark);
  EXPECT_EQ(s.objects, 7);
  EXPECT_EQ(s.lag_events, 0u);
}

TEST_F(CatalogTest, StatusShowsLagOfUnappliedEvents) {
  CatchUp();
  Put("k1", "v", kE1);
  Put("k2", "v", kE1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CatalogStatus s = catalog_->GetStatus();
  EXPECT_EQ(s.lag_events, 2u);
  EXPECT_GE(s.lag_ms, 20);
  CatchUp();
  s = catalog_->GetStatus();
  EXPECT_EQ(s.lag_events, 0u);
  EXPECT_EQ(s.lag_ms, 0);
}

bool WaitFor(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

TEST_F(CatalogTest, FollowerBuildsAtFirstStartThenFollows) {
  Put("before", "v", kE1, {}, /*event=*/false);  // only a rebuild can find it
  ASSERT_TRUE(catalog_->Start().ok());
  ASSERT_TRUE(WaitFor([&] {
    auto s = catalog_->GetStatus();
    return !s.rebuilding && s.rebuilt_ms > 0 && s.objects == 1;
  }));
  for (int i = 0; i < 10; ++i) Put(NumberedKey(i), "v", kE1);
  Delete("before");
  ASSERT_TRUE(WaitFor([&] {
    auto s = catalog_->GetStatus();
    return s.lag_events == 0 && s.objects == 10;
  }));
  EXPECT_TRUE(catalog_->StartRebuild().ok());
  // A second one while the first runs is refused (or the first already finished).
  Status again = catalog_->StartRebuild();
  EXPECT_TRUE(again.ok() || again.Is(ErrorCode::kInvalidRequest)) << again.ToString();
  ASSERT_TRUE(WaitFor([&] { return !catalog_->GetStatus().rebuilding; }));
  Put("after", "v", kE1);
  ASSERT_TRUE(WaitFor([&] {
    auto s = catalog_->GetStatus();
    return s.lag_events == 0 && s.objects == 11;
  }));
  catalog_->Stop();
  EXPECT_EQ(Objects().size(), 11u);
}

TEST_F(CatalogTest, EventsTrimmedPastTheCursorMeanARebuildAtStart) {
  Put("k1", "v", kE1);
  CatchUp();
  OpenCatalog();  // as if kumod ran with the catalog off while these happened:
  Put("k2", "v", kE1);
  Delete("k1");
  auto trimmed = store_->events()->TrimBefore(std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(trimmed.ok());
  ASSERT_EQ(*trimmed, 3u);
  ASSERT_TRUE(catalog_->Start().ok());
  ASSERT_TRUE(WaitFor([&] {
    auto s = catalog_->GetStatus();
    return !s.rebuilding && s.rebuilt_ms > 0;
  }));
  EXPECT_EQ(Objects(), (std::vector<std::string>{"k2|1|" + kE1 + "|{}|{}"}));
  catalog_->Stop();
}

TEST_F(CatalogTest, AnIntactOutboxMeansNoRebuild) {
  Put("k1", "v", kE1);
  CatchUp();
  OpenCatalog();
  ASSERT_TRUE(catalog_->Start().ok());
  Put("k2", "v", kE1);
  ASSERT_TRUE(WaitFor([&] { return catalog_->GetStatus().objects == 2; }));
  EXPECT_EQ(catalog_->GetStatus().rebuilt_ms, 0);
  catalog_->Stop();
}

TEST(CatalogOpenTest, ADamagedFileIsSetAsideAndRebuilt) {
  TempDir dir;
  storage::StoreOptions so;
  so.data_dir = dir.path();
  so.compaction_interval_ms = 0;
  auto store = storage::Store::Open(so);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(std::filesystem::create_directories(CatalogDir(dir.path())));
  {
    std::ofstream garbage(CatalogDbPath(dir.path()));
    garbage << std::string(8192, 'x');
  }
  CatalogOptions o;
  o.data_dir = dir.path();
  auto c = Catalog::Open(o, store->get());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_NE(*c, nullptr);
  EXPECT_EQ((*c)->GetStatus().objects, 0);
  int aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(CatalogDir(dir.path()))) {
    aside += e.path().filename().string().rfind("catalog.db.corrupt-", 0) == 0;
  }
  EXPECT_EQ(aside, 1);
}

TEST(CatalogOpenTest, DisabledIsNull) {
  TempDir dir;
  CatalogOptions o;
  o.data_dir = dir.path();
  o.enabled = false;
  auto c = Catalog::Open(o, nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, nullptr);
}

}  // namespace
}  // namespace kumo::catalog

namespace kumo::catalog {
namespace {

TEST_F(CatalogTest, QueuedAttributeWritesSurviveARestartBeforeTheyAreApplied) {
  Put("k", "data", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"w": 7})", "queued words"));
  // kumod stops (or is killed) before the attribute thread applied it: the write is in the
  // store's queue, and the next catalog applies it.
  OpenCatalog();
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"k|w|7.0|NULL", "text:k|queued words"}));
  auto left = store_->events()->ScanState(kPendingPrefix, 10);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty()) << "applied writes leave the queue";
}

TEST_F(CatalogTest, AQueuedWriteOfAVersionOverwrittenBeforeItIsAppliedIsDiscarded) {
  Put("k", "data", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"w": 1})", "old bytes"));
  Put("k", "newer", kE2);  // before the queue is applied
  CatchUp();
  EXPECT_EQ(Objects(), (std::vector<std::string>{"k|5|" + kE2 + "|{}|{}"}));
  EXPECT_EQ(Namespace("fn"), std::vector<std::string>{});
}

TEST_F(CatalogTest, AQueuedWriteForAVersionTheCatalogHasNotSeenIsCheckedAgainstTheStore) {
  Put("k", "data", kE1, {}, /*event=*/false);  // no event: the catalog has no row yet
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"w": 1})", ""));
  Put("k", "newer", kE2, {}, /*event=*/false);  // overwritten before the queue is applied
  EXPECT_EQ(Namespace("fn"), std::vector<std::string>{});
  EXPECT_EQ(Objects(), (std::vector<std::string>{"k|5|" + kE2 + "|{}|{}"}));
}

TEST_F(CatalogTest, QueuedWritesApplyInTheOrderTheyWereMade) {
  Put("k", "data", kE1);
  CatchUp();
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"v": 1})", ""));
  ASSERT_TRUE(catalog_->RemoveAttributes("b", "k", "fn").ok());
  ASSERT_TRUE(*catalog_->PutAttributes("b", "k", kE1, "fn", R"({"v": 3})", ""));
  EXPECT_EQ(Namespace("fn"), (std::vector<std::string>{"k|v|3.0|NULL"}));
}

TEST(PendingAttributesTest, RoundTripAndRefusals) {
  PendingAttributes p;
  p.bucket = "b";
  p.key = std::string("k\0ey", 4);
  p.etag = "e";
  p.ns = "fn";
  p.attributes_json = R"({"a":1})";
  p.text = "words";
  PendingAttributes q;
  ASSERT_TRUE(DecodePending(EncodePending(p), &q));
  EXPECT_EQ(q.key, p.key);
  EXPECT_EQ(q.text, "words");
  EXPECT_FALSE(q.remove);
  const std::string bytes = EncodePending(p);
  EXPECT_FALSE(DecodePending(bytes.substr(0, bytes.size() - 1), &q));  // cut short
  EXPECT_FALSE(DecodePending(bytes + "x", &q));                        // trailing bytes
  EXPECT_FALSE(DecodePending("", &q));
  EXPECT_EQ(PendingSeq(PendingKey(0x1234abcd)), 0x1234abcdu);
  EXPECT_EQ(PendingSeq("catalog/attr/zz"), 0u);
  EXPECT_LT(PendingKey(9), PendingKey(10));  // fixed width: key order is sequence order
}

}  // namespace
}  // namespace kumo::catalog
