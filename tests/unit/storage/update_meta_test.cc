// Store::UpdateObjectMeta: attributes change in place (bytes, size, etag and extents
// stay), errors abort without a trace, the event record is written with the update, and
// an update racing overwrites and deletes of the same key never resurrects old bytes.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::Bytes;
using testing::CountFiles;
using testing::Get;
using testing::MakeBucket;
using testing::OpenStore;
using testing::Put;
using testing::TempDir;
using testing::TestOptions;

using Pairs = std::vector<std::pair<std::string, std::string>>;

EventIntent Intent(const std::string& name) {
  EventIntent e;
  e.name = name;
  e.request_id = "REQ1";
  e.principal = "AK";
  return e;
}

TEST(UpdateObjectMetaTest, ChangesAttributesInPlaceAndSurvivesReopen) {
  TempDir dir;
  const std::string small = Bytes(100, 1);
  const std::string large = Bytes(20000, 2);  // an extent file (threshold 4096)
  StoreStats before;
  {
    auto store = OpenStore(TestOptions(dir.path()));
    MakeBucket(store.get(), "b");
    ASSERT_TRUE(Put(store.get(), "b", "small", small).ok());
    auto put = Put(store.get(), "b", "large", large);
    ASSERT_TRUE(put.ok());
    before = store->Stats();
    for (const char* key : {"small", "large"}) {
      auto updated = store->UpdateObjectMeta("b", key, [](ObjectMeta& m) {
        EXPECT_EQ(m.user_meta, (Pairs{{"k", "v"}}));  // the current record
        m.user_meta = {{"color", "blue"}};
        m.tags = {{"project", "kumo"}, {"tier", "gold"}};
        m.size = 1;  // attempts to touch the bytes are undone
        m.etag = "forged";
        m.extents.clear();
        return Status::OK();
      });
      ASSERT_TRUE(updated.ok()) << updated.status().ToString();
      EXPECT_EQ(updated->etag, std::string("etag-").append(key));
      EXPECT_EQ(updated->tags, (Pairs{{"project", "kumo"}, {"tier", "gold"}}));
      EXPECT_EQ(updated->extents.size(), 1u);
    }
    auto head = store->HeadObject("b", "large");
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->size, large.size());
    EXPECT_EQ(head->extents.at(0).file_id, put->extents.at(0).file_id);
    EXPECT_EQ(head->user_meta, (Pairs{{"color", "blue"}}));
    EXPECT_EQ(head->content_type, "application/octet-stream");
    EXPECT_EQ(Get(store.get(), "b", "small"), small);
    EXPECT_EQ(Get(store.get(), "b", "large"), large);
    StoreStats after = store->Stats();
    EXPECT_EQ(after.objects, before.objects);
    EXPECT_EQ(after.live_bytes, before.live_bytes);
    EXPECT_EQ(after.dead_bytes, before.dead_bytes);
    EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);
  }
  auto store = OpenStore(TestOptions(dir.path()));
  for (const char* key : {"small", "large"}) {
    auto head = store->HeadObject("b", key);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->tags, (Pairs{{"project", "kumo"}, {"tier", "gold"}}));
    EXPECT_EQ(head->user_meta, (Pairs{{"color", "blue"}}));
  }
  EXPECT_EQ(Get(store.get(), "b", "small"), small);
  EXPECT_EQ(Get(store.get(), "b", "large"), large);
  EXPECT_EQ(store->Stats().live_bytes, before.live_bytes);
  // Clearing the tags takes them out of the record again.
  ASSERT_TRUE(store
                  ->UpdateObjectMeta("b", "small",
                                     [](ObjectMeta& m) {
                                       m.tags.clear();
                                       return Status::OK();
                                     })
                  .ok());
  EXPECT_TRUE(store->HeadObject("b", "small")->tags.empty());
}

TEST(UpdateObjectMetaTest, MissingKeyOrBucketAndFunctionErrors) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  int calls = 0;
  auto count = [&](ObjectMeta&) {
    ++calls;
    return Status::OK();
  };
  EXPECT_TRUE(store->UpdateObjectMeta("b", "absent", count).status().Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(store->UpdateObjectMeta("nope", "k", count).status().Is(ErrorCode::kNoSuchBucket));
  EXPECT_EQ(calls, 0);

  ASSERT_TRUE(Put(store.get(), "b", "k", "data").ok());
  EventIntent intent = Intent("ObjectTagging:Put");
  auto failed = store->UpdateObjectMeta(
      "b", "k",
      [](ObjectMeta& m) {
        m.tags = {{"a", "b"}};
        return Status(ErrorCode::kInvalidArgument, "rejected by fn");
      },
      &intent);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.status().Is(ErrorCode::kInvalidArgument));
  EXPECT_EQ(failed.status().message(), "rejected by fn");
  EXPECT_TRUE(store->HeadObject("b", "k")->tags.empty());
  EXPECT_TRUE(store->events()->Read(0, 10)->empty());  // no event for a failed update
}

TEST(UpdateObjectMetaTest, EventRecordIsWrittenWithTheUpdate) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  ASSERT_TRUE(Put(store.get(), "b", "k", "hello").ok());
  EventIntent put = Intent("ObjectTagging:Put");
  EventIntent del = Intent("ObjectTagging:Delete");
  ASSERT_TRUE(store
                  ->UpdateObjectMeta(
                      "b", "k",
                      [](ObjectMeta& m) {
                        m.tags = {{"a", "1"}};
                        return Status::OK();
                      },
                      &put)
                  .ok());
  ASSERT_TRUE(store
                  ->UpdateObjectMeta(
                      "b", "k",
                      [](ObjectMeta& m) {
                        m.tags.clear();
                        return Status::OK();
                      },
                      &del)
                  .ok());
  // An update without an intent emits nothing.
  ASSERT_TRUE(store->UpdateObjectMeta("b", "k", [](ObjectMeta&) { return Status::OK(); }).ok());
  auto records = store->events()->Read(0, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  const EventRecord& r = (*records)[0];
  EXPECT_EQ(r.name, "ObjectTagging:Put");
  EXPECT_EQ(r.bucket, "b");
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.size, 5u);
  EXPECT_EQ(r.etag, "etag-k");
  EXPECT_EQ(r.request_id, "REQ1");
  EXPECT_EQ((*records)[1].name, "ObjectTagging:Delete");
  EXPECT_LT(r.seq, (*records)[1].seq);
}

// Overwrites (alternating packed and extent objects), deletes, compactions and updates of
// one key race. Every update either sees the record of one PUT whole or fails with
// kNoSuchKey; at the end the index, the accounting and the blob files agree, and the
// bytes read back are those of the PUT the record names.
TEST(UpdateObjectMetaTest, RacingOverwritesAndDeletesNeverResurrectOldBytes) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  constexpr int kPuts = 120;
  auto size_of = [](int i) { return static_cast<size_t>(i % 2 == 0 ? 500 + i : 6000 + i); };
  auto etag_of = [](int i) { return testing::Numbered("put-", i); };

  std::atomic<bool> done{false};
  std::atomic<int> updates{0};
  std::thread writer([&] {
    [&] {
      for (int i = 0; i < kPuts; ++i) {
        auto w = store->NewObjectWriter("b", "k", -1);
        ASSERT_TRUE(w.ok());
        ASSERT_TRUE((*w)->Append(Bytes(size_of(i), static_cast<uint32_t>(i))).ok());
        ObjectMeta meta;
        meta.etag = etag_of(i);
        ASSERT_TRUE((*w)->Commit(meta).ok());
        if (i % 7 == 3) {
          ASSERT_TRUE(store->DeleteObject("b", "k").ok());
        }
      }
    }();
    done = true;  // also when an assertion failed, so the other threads stop
  });
  std::thread compactor([&] {
    while (!done) ASSERT_TRUE(store->CompactNow().ok());
  });
  std::thread updater([&] {
    int n = 0;
    while (!done) {
      auto r = store->UpdateObjectMeta("b", "k", [&](ObjectMeta& m) {
        m.tags = {{"n", std::to_string(++n)}};
        return Status::OK();
      });
      if (!r.ok()) {
        ASSERT_TRUE(r.status().Is(ErrorCode::kNoSuchKey)) << r.status().ToString();
        continue;
      }
      int i = std::stoi(r->etag.substr(4));
      ASSERT_EQ(r->size, size_of(i));
      ++updates;
    }
  });
  writer.join();
  compactor.join();
  updater.join();
  EXPECT_GT(updates.load(), 0);

  auto head = store->HeadObject("b", "k");
  ASSERT_TRUE(head.ok());  // the last PUT (kPuts - 1) was not deleted
  EXPECT_EQ(head->etag, etag_of(kPuts - 1));
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(size_of(kPuts - 1), kPuts - 1));
  StoreStats stats = store->Stats();
  EXPECT_EQ(stats.objects, 1u);
  EXPECT_EQ(stats.live_bytes, size_of(kPuts - 1));
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), size_of(kPuts - 1) >= 4096 ? 1u : 0u);
}

}  // namespace
}  // namespace kumo::storage
