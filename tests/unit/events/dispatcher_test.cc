// Dispatcher on a real store with fake handlers: rule selection, cursor persistence
// and resume, replay, test events, chain depth, handler isolation, retention.
#include "events/dispatcher.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "dispatcher_harness.h"
#include "events/event_state.h"

namespace kumo::events {
namespace {

using testing::DeleteObject;
using testing::MakeBucket;
using testing::MakeDispatcher;
using testing::OpenStore;
using testing::PutObject;
using testing::QueueRule;
using testing::SetNotification;
using testing::TempDir;
using testing::WaitUntil;

const std::string kArnA = "arn:kumo:sqs::a:fake";
const std::string kArnB = "arn:kumo:sqs::b:fake";

TEST(DispatcherTest, DeliversOnlyWhatTheRulesSelect) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1",
                  {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"}, "img/", ".jpg"),
                   // Region and account fields may be anything in a function-style ARN.
                   QueueRule("rb", "arn:kumo:sqs:eu-west-1:b:fake", {"s3:ObjectRemoved:*"})});
  auto h = MakeDispatcher(store.get(), {"a", "b", "c"});
  PutObject(store.get(), "b1", "img/x.jpg");
  PutObject(store.get(), "b1", "img/y.png");
  PutObject(store.get(), "b1", "doc/z.jpg");
  DeleteObject(store.get(), "b1", "img/x.jpg");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  h->Stop();

  auto a = h.fakes[0]->Calls();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].record.key, "img/x.jpg");
  EXPECT_EQ(a[0].record.name, "ObjectCreated:Put");
  auto json = nlohmann::json::parse(a[0].payload);
  EXPECT_EQ(json["Records"][0]["s3"]["configurationId"], "ra");
  EXPECT_EQ(json["Records"][0]["eventName"], "ObjectCreated:Put");
  auto b = h.fakes[1]->Calls();
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].record.name, "ObjectRemoved:Delete");
  EXPECT_EQ(b[0].record.key, "img/x.jpg");
  EXPECT_EQ(h.fakes[2]->CallCount(), 0u);

  auto outcomes = ReadOutcomes(store->events(), a[0].record.seq);
  ASSERT_TRUE(outcomes.ok());
  ASSERT_EQ(outcomes->size(), 1u);
  EXPECT_EQ((*outcomes)[0].first, "fake:a");
  EXPECT_EQ((*outcomes)[0].second.status, "delivered");
  EXPECT_EQ((*outcomes)[0].second.attempts, 1);
}

TEST(DispatcherTest, BucketWithoutConfigurationDeliversNothing) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "quiet");
  auto h = MakeDispatcher(store.get(), {"a"});
  PutObject(store.get(), "quiet", "k");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->CallCount(), 0u);
}

TEST(DispatcherTest, InvalidateBucketPicksUpANewConfiguration) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  auto h = MakeDispatcher(store.get(), {"a"});
  PutObject(store.get(), "b1", "before");  // caches "no rules"
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:Put"})});
  h->InvalidateBucket("b1");
  PutObject(store.get(), "b1", "after");
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 1; }));
  EXPECT_EQ(h.fakes[0]->Keys(), std::vector<std::string>{"after"});
}

TEST(DispatcherTest, CursorPersistsAndDeliveryResumesAfterRestart) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"})});
  {
    auto h = MakeDispatcher(store.get(), {"a"});
    for (int i = 0; i < 3; ++i) PutObject(store.get(), "b1", "k" + std::to_string(i));
    ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 3 && h.Settled(); }));
    h->Stop();
    auto cursor = ReadCursor(store->events(), "fake:a");
    ASSERT_TRUE(cursor.ok());
    EXPECT_TRUE(cursor->first);
    EXPECT_EQ(cursor->second, store->events()->Watermark());
  }
  // Written while no dispatcher runs; delivered by the next one, and nothing else is.
  PutObject(store.get(), "b1", "k3");
  PutObject(store.get(), "b1", "k4");
  store.reset();
  store = OpenStore(dir.path());
  auto h = MakeDispatcher(store.get(), {"a"});
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 2 && h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->Keys(), (std::vector<std::string>{"k3", "k4"}));
}

TEST(DispatcherTest, ANewHandlerStartsAtTheWatermark) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"})});
  PutObject(store.get(), "b1", "old");
  uint64_t watermark = store->events()->Watermark();
  auto h = MakeDispatcher(store.get(), {"a"});
  auto cursor = ReadCursor(store->events(), "fake:a");
  ASSERT_TRUE(cursor.ok());
  EXPECT_TRUE(cursor->first);  // persisted by Start, so a crash cannot skip what follows
  EXPECT_EQ(cursor->second, watermark);
  PutObject(store.get(), "b1", "new");
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 1 && h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->Keys(), std::vector<std::string>{"new"});
}

TEST(DispatcherTest, ReplayRedeliversFromASequence) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"})});
  auto h = MakeDispatcher(store.get(), {"a"});
  for (int i = 0; i < 3; ++i) PutObject(store.get(), "b1", "k" + std::to_string(i));
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 3; }));
  uint64_t second = h.fakes[0]->Calls()[1].record.seq;
  ASSERT_TRUE(h->Replay("fake:a", second).ok());
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 5 && h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->Keys(), (std::vector<std::string>{"k0", "k1", "k2", "k1", "k2"}));
  EXPECT_TRUE(h->Replay("nobody", 1).Is(ErrorCode::kNoSuchKey));
}

TEST(DispatcherTest, SendsTestEventsToTheNamedHandlerOnly) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  auto h = MakeDispatcher(store.get(), {"a", "b"});
  EXPECT_TRUE(h->HasHandler(kArnA));
  EXPECT_TRUE(h->HasHandler("arn:kumo:sqs:us-east-1:a:fake"));
  EXPECT_FALSE(h->HasHandler("arn:kumo:sqs::zzz:fake"));
  h->SendTestEvent("arn:kumo:sqs::a:fake", "photos");
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 1; }));
  auto call = h.fakes[0]->Calls()[0];
  EXPECT_EQ(call.record.name, "s3:TestEvent");
  EXPECT_EQ(call.record.seq, 0u);
  auto json = nlohmann::json::parse(call.payload);
  EXPECT_EQ(json["Event"], "s3:TestEvent");
  EXPECT_EQ(json["Bucket"], "photos");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(h.fakes[1]->CallCount(), 0u);
}

TEST(DispatcherTest, EventsOverTheChainDepthLimitAreNotDispatched) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"})});
  auto options = testing::FastOptions();
  options.max_chain_depth = 2;
  auto h = MakeDispatcher(store.get(), {"a"}, options);
  PutObject(store.get(), "b1", "depth2", "x", 2);
  PutObject(store.get(), "b1", "depth3", "x", 3);
  PutObject(store.get(), "b1", "depth0", "x", 0);
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 2; }));
  EXPECT_EQ(h.fakes[0]->Keys(), (std::vector<std::string>{"depth2", "depth0"}));
  auto events = store->events()->Read(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  auto outcomes = ReadOutcomes(store->events(), (*events)[1].seq);
  ASSERT_TRUE(outcomes.ok());
  ASSERT_EQ(outcomes->size(), 1u);
  EXPECT_EQ((*outcomes)[0].second.status, "dropped");
}

TEST(DispatcherTest, ASlowHandlerDoesNotDelayAnother) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  // S3 rejects overlapping rules for one event type, so the handlers split by prefix.
  SetNotification(store.get(), "b1",
                  {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"}, "fast/"),
                   QueueRule("rb", kArnB, {"s3:ObjectCreated:*"}, "slow/")});
  auto h = MakeDispatcher(store.get(), {"a", "b"});
  h.fakes[1]->SetDelay(1000);
  for (int i = 0; i < 5; ++i) {
    PutObject(store.get(), "b1", "slow/" + std::to_string(i));
    PutObject(store.get(), "b1", "fast/" + std::to_string(i));
  }
  // Counts, not timings: the fast handler has everything while the slow one does not.
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 5; }));
  EXPECT_LT(h.fakes[1]->CallCount(), 5u);
  EXPECT_GT(h->Stats()[1].lag, 0u);
}

TEST(DispatcherTest, RetentionTrimsOldEventsAndTheirOutcomes) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1", {QueueRule("ra", kArnA, {"s3:ObjectCreated:*"})});
  uint64_t seq = 0;
  {
    auto h = MakeDispatcher(store.get(), {"a"});
    PutObject(store.get(), "b1", "k");
    ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 1 && h.Settled(); }));
    seq = h.fakes[0]->Calls()[0].record.seq;
  }
  ASSERT_EQ(ReadOutcomes(store->events(), seq)->size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto options = testing::FastOptions();
  options.retention_ms = 10;
  auto h = MakeDispatcher(store.get(), {"a"}, options);  // Start trims at once
  EXPECT_TRUE(store->events()->Get(seq).status().Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(ReadOutcomes(store->events(), seq)->empty());
}

}  // namespace
}  // namespace kumo::events
