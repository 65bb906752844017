// The transactional outbox: every change made with an EventIntent leaves exactly one
// event record, written with the change, with increasing sequences that survive reopen.
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "storage/event_sequencer.h"
#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::MakeBucket;
using testing::OpenStore;
using testing::TempDir;
using testing::TestOptions;

Status PutWithEvent(Store* s, const std::string& bucket, const std::string& key,
                    const std::string& data, const EventIntent& intent) {
  auto w = s->NewObjectWriter(bucket, key, static_cast<int64_t>(data.size()));
  if (!w.ok()) return w.status();
  KUMO_RETURN_IF_ERROR((*w)->Append(data));
  ObjectMeta meta;
  meta.etag = std::string("etag-").append(key);
  auto r = (*w)->Commit(meta, &intent);
  return r.ok() ? Status::OK() : r.status();
}

EventIntent Intent(const std::string& name) {
  EventIntent e;
  e.name = name;
  e.request_id = "REQ1";
  e.principal = "AK";
  e.source_ip = "127.0.0.1";
  return e;
}

TEST(EventOutboxTest, ChangesWriteOneRecordEachInOrder) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  ASSERT_TRUE(PutWithEvent(store.get(), "b", "small", "abc", Intent("ObjectCreated:Put")).ok());
  ASSERT_TRUE(
      PutWithEvent(store.get(), "b", "large", std::string(10000, 'x'), Intent("ObjectCreated:Copy"))
          .ok());
  EventIntent del = Intent("ObjectRemoved:Delete");
  ASSERT_TRUE(store->DeleteObject("b", "small", &del).ok());
  // Removing an absent key changes nothing, so it emits nothing.
  ASSERT_TRUE(store->DeleteObject("b", "absent", &del).ok());
  // A change without an intent emits nothing either.
  ASSERT_TRUE(store->DeleteObject("b", "large").ok());

  auto records = store->events()->Read(0, 100);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const auto& r = *records;
  EXPECT_EQ(r[0].name, "ObjectCreated:Put");
  EXPECT_EQ(r[0].bucket, "b");
  EXPECT_EQ(r[0].key, "small");
  EXPECT_EQ(r[0].size, 3u);
  EXPECT_EQ(r[0].etag, "etag-small");
  EXPECT_EQ(r[0].request_id, "REQ1");
  EXPECT_EQ(r[0].principal, "AK");
  EXPECT_EQ(r[0].source_ip, "127.0.0.1");
  EXPECT_EQ(r[1].name, "ObjectCreated:Copy");
  EXPECT_EQ(r[1].size, 10000u);
  EXPECT_EQ(r[2].name, "ObjectRemoved:Delete");
  EXPECT_EQ(r[2].key, "small");
  EXPECT_TRUE(r[2].etag.empty());
  EXPECT_LT(r[0].seq, r[1].seq);
  EXPECT_LT(r[1].seq, r[2].seq);
  EXPECT_EQ(store->events()->Watermark(), r[2].seq);
  auto after = store->events()->Read(r[0].seq, 100);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u);
  auto one = store->events()->Get(r[1].seq);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->key, "large");
}

TEST(EventOutboxTest, FailedChangeLeavesNoEvent) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto w = store->NewObjectWriter("b", "k", 3);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("abc").ok());
  ASSERT_TRUE(store->DeleteBucket("b").ok());  // the bucket vanishes before the commit
  EventIntent intent = Intent("ObjectCreated:Put");
  EXPECT_FALSE((*w)->Commit(ObjectMeta{}, &intent).ok());
  auto records = store->events()->Read(0, 100);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(EventOutboxTest, SequencesContinueAfterReopen) {
  TempDir dir;
  uint64_t last = 0;
  {
    auto store = OpenStore(TestOptions(dir.path()));
    MakeBucket(store.get(), "b");
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(PutWithEvent(store.get(), "b", std::string("k").append(std::to_string(i)), "v",
                               Intent("ObjectCreated:Put"))
                      .ok());
    }
    last = store->events()->Watermark();
    EXPECT_EQ(last, 5u);
  }
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(store->events()->Watermark(), last);
  ASSERT_TRUE(PutWithEvent(store.get(), "b", "after", "v", Intent("ObjectCreated:Put")).ok());
  auto records = store->events()->Read(last, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].seq, last + 1);
}

TEST(EventOutboxTest, TrimRemovesOldRecordsAndStateRoundTrips) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  ASSERT_TRUE(PutWithEvent(store.get(), "b", "k", "v", Intent("ObjectCreated:Put")).ok());
  auto trimmed = store->events()->TrimBefore(NowMillis() + 1000);
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(*trimmed, 1u);
  EXPECT_TRUE(store->events()->Read(0, 10)->empty());

  EventLog* log = store->events();
  ASSERT_TRUE(log->PutState("cursor/a", "7").ok());
  ASSERT_TRUE(log->PutState("cursor/b", "9").ok());
  ASSERT_TRUE(log->PutState("dead/x", "1").ok());
  auto cursors = log->ScanState("cursor/", 10);
  ASSERT_TRUE(cursors.ok());
  ASSERT_EQ(cursors->size(), 2u);
  EXPECT_EQ((*cursors)[1].second, "9");
  ASSERT_TRUE(log->DeleteState("cursor/a").ok());
  EXPECT_FALSE(log->GetState("cursor/a")->has_value());
  EXPECT_EQ(*log->GetState("cursor/b").value(), "9");
}

TEST(EventSequencerTest, WatermarkWaitsForEarlierBatches) {
  EventSequencer seq(10);
  uint64_t a = seq.Allocate(2);  // 11, 12
  uint64_t b = seq.Allocate(1);  // 13
  EXPECT_EQ(a, 11u);
  EXPECT_EQ(b, 13u);
  seq.Settle(b, 1);
  EXPECT_EQ(seq.Watermark(), 10u);  // 11 and 12 are still in flight
  seq.Settle(a, 2);
  EXPECT_EQ(seq.Watermark(), 13u);
}

TEST(EventOutboxTest, SequencesAreNotReusedOnceTheOutboxIsTrimmedEmpty) {
  TempDir dir;
  uint64_t last = 0;
  {
    auto store = OpenStore(TestOptions(dir.path()));
    MakeBucket(store.get(), "b");
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(PutWithEvent(store.get(), "b", std::string("k").append(std::to_string(i)), "v",
                               Intent("ObjectCreated:Put"))
                      .ok());
    }
    last = store->events()->Watermark();
    ASSERT_EQ(*store->events()->TrimBefore(NowMillis() + 1000), 3u);
    ASSERT_TRUE(store->events()->Read(0, 10)->empty());
  }
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(store->events()->Watermark(), last);
  ASSERT_TRUE(PutWithEvent(store.get(), "b", "after", "v", Intent("ObjectCreated:Put")).ok());
  auto records = store->events()->Read(0, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].seq, last + 1);
}

TEST(BucketConfigTest, StoredPerBucketAndDroppedWithTheBucket) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  EXPECT_TRUE(store->PutBucketConfig("missing", "notification", "x").Is(ErrorCode::kNoSuchBucket));
  ASSERT_TRUE(store->PutBucketConfig("b", "notification", "<xml/>").ok());
  EXPECT_EQ(*store->GetBucketConfig("b", "notification").value(), "<xml/>");
  ASSERT_TRUE(store->DeleteBucket("b").ok());
  MakeBucket(store.get(), "b");
  EXPECT_FALSE(store->GetBucketConfig("b", "notification")->has_value());
}

}  // namespace
}  // namespace kumo::storage
