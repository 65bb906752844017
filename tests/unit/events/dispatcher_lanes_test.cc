// Laned delivery (Handler::concurrency > 1) on a real store: keys in different lanes
// are delivered concurrently, each key in sequence order and never two at once, every
// event exactly once; a failing key is retried and dead-lettered while other keys flow;
// the persisted cursor never passes an unsettled event; replay and test events work.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "dispatcher_harness.h"
#include "events/dispatcher.h"
#include "events/event_state.h"
#include "lane_handler.h"

namespace kumo::events {
namespace {

using testing::FastOptions;
using testing::LaneHandler;
using testing::MakeBucket;
using testing::OpenStore;
using testing::PutObject;
using testing::QueueRule;
using testing::SetNotification;
using testing::TempDir;
using testing::WaitUntil;

constexpr int kLanes = 4;
constexpr size_t kNoLane = ~size_t{0};

// n keys "<prefix><i>" of bucket b1, each in its own lane, none in lane `avoid`.
std::vector<std::string> KeysInDistinctLanes(size_t n, const std::string& prefix,
                                             size_t avoid = kNoLane) {
  std::set<size_t> used{avoid};
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < n; ++i) {
    std::string key = prefix + std::to_string(i);
    if (used.insert(DeliveryLane("b1", key, kLanes)).second) keys.push_back(key);
  }
  return keys;
}

// For each key, the sequences delivered to it, in call order.
std::map<std::string, std::vector<uint64_t>> SeqsByKey(LaneHandler* h) {
  std::map<std::string, std::vector<uint64_t>> out;
  for (const auto& c : h->Calls()) out[c.key].push_back(c.seq);
  return out;
}

class DispatcherLanesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    MakeBucket(store_.get(), "b1");
    SetNotification(store_.get(), "b1",
                    {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  }
  // A started dispatcher over one LaneHandler "fake:a" (handler_).
  void Start(int concurrency = kLanes, DispatcherOptions options = FastOptions()) {
    auto handler = std::make_unique<LaneHandler>("a", concurrency);
    handler_ = handler.get();
    std::vector<std::unique_ptr<Handler>> handlers;
    handlers.push_back(std::move(handler));
    dispatcher_ = std::make_unique<Dispatcher>(store_.get(), options, std::move(handlers));
    Status s = dispatcher_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  bool Settled() { return dispatcher_->Stats()[0].lag == 0; }
  uint64_t PersistedCursor() {
    auto cursor = ReadCursor(store_->events(), "fake:a");
    EXPECT_TRUE(cursor.ok());
    return cursor.ok() ? cursor->second : 0;
  }
  uint64_t Put(const std::string& key) {
    PutObject(store_.get(), "b1", key);
    return store_->events()->Watermark();
  }
  std::string StatusOf(uint64_t seq) {
    auto outcomes = ReadOutcomes(store_->events(), seq);
    return outcomes.ok() && outcomes->size() == 1 ? outcomes->front().second.status : "?";
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Dispatcher> dispatcher_;
  LaneHandler* handler_ = nullptr;  // owned by dispatcher_
};

TEST_F(DispatcherLanesTest, DeliversKeysOfDifferentLanesConcurrently) {
  Start();
  handler_->Rendezvous(kLanes);  // each call waits until kLanes run at once
  for (const auto& key : KeysInDistinctLanes(kLanes, "k")) Put(key);
  ASSERT_TRUE(WaitUntil([&] { return handler_->CallCount() == kLanes && Settled(); }, 30000));
  EXPECT_EQ(handler_->max_in_flight(), kLanes);
  EXPECT_EQ(handler_->same_key_overlaps(), 0);
}

class DispatcherLanesOrderTest : public DispatcherLanesTest,
                                 public ::testing::WithParamInterface<int> {};

TEST_P(DispatcherLanesOrderTest, EachKeyInOrderAndEveryEventExactlyOnce) {
  auto options = FastOptions();
  options.batch = 16;  // several batches, and the in-flight bound, in play
  Start(GetParam(), options);
  dispatcher_->Stop();  // the cursor is persisted: what follows is a backlog at restart
  std::mt19937 rng(42);
  const std::vector<std::string> keys = {"x", "y", "z", "w", "v"};
  constexpr int kEvents = 300;
  for (int i = 0; i < kEvents / 2; ++i) Put(keys[rng() % keys.size()]);
  Start(GetParam(), options);
  handler_->Jitter(300);
  for (int i = kEvents / 2; i < kEvents; ++i) Put(keys[rng() % keys.size()]);
  ASSERT_TRUE(WaitUntil([&] { return handler_->CallCount() >= kEvents && Settled(); }));
  dispatcher_->Stop();

  auto outbox = store_->events()->Read(0, 2 * kEvents);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), static_cast<size_t>(kEvents));
  std::multiset<uint64_t> delivered;
  for (const auto& c : handler_->Calls()) delivered.insert(c.seq);
  std::multiset<uint64_t> expected;
  for (const auto& r : *outbox) expected.insert(r.seq);
  EXPECT_EQ(delivered, expected);  // each exactly once
  for (const auto& [key, seqs] : SeqsByKey(handler_)) {
    EXPECT_TRUE(std::adjacent_find(seqs.begin(), seqs.end(), std::greater_equal<>()) == seqs.end())
        << "key " << key << " out of order";
  }
  EXPECT_EQ(handler_->same_key_overlaps(), 0);
  EXPECT_LE(handler_->max_in_flight(), GetParam());
  EXPECT_EQ(PersistedCursor(), store_->events()->Watermark());
  EXPECT_EQ(dispatcher_->Stats()[0].delivered, static_cast<uint64_t>(kEvents));
}

INSTANTIATE_TEST_SUITE_P(Concurrency, DispatcherLanesOrderTest, ::testing::Values(1, kLanes));

TEST_F(DispatcherLanesTest, AFailingKeyIsRetriedAndDeadLetteredWhileOthersFlow) {
  auto options = FastOptions();
  options.max_attempts = 3;
  Start(kLanes, options);
  const std::string bad = "bad";
  handler_->Fail(bad, DeliveryOutcome::kRetryable, 3);  // the first event's attempts
  handler_->Gate(bad);
  const uint64_t bad1 = Put(bad);
  const uint64_t bad2 = Put(bad);
  const auto others = KeysInDistinctLanes(kLanes - 1, "ok", DeliveryLane("b1", bad, kLanes));
  for (int round = 0; round < 3; ++round) {
    for (const auto& key : others) Put(key);
  }
  // Every other key's events are delivered while the bad key's first attempt is held.
  ASSERT_TRUE(WaitUntil([&] { return handler_->CallCount() == 1 + 3 * others.size(); }));
  EXPECT_TRUE(handler_->WaitInFlight(bad));
  EXPECT_EQ(handler_->CallCount(bad), 1u);
  EXPECT_EQ(dispatcher_->Stats()[0].cursor, bad1 - 1);

  handler_->Open(bad);
  ASSERT_TRUE(WaitUntil([&] { return Settled() && handler_->CallCount(bad) == 4; }));
  EXPECT_EQ(SeqsByKey(handler_)[bad], (std::vector<uint64_t>{bad1, bad1, bad1, bad2}));
  EXPECT_EQ(StatusOf(bad1), "dead");
  // "delivered" outcomes are written in batches, within cursor_persist_ms.
  EXPECT_TRUE(WaitUntil([&] { return StatusOf(bad2) == "delivered"; })) << StatusOf(bad2);
  auto dead = dispatcher_->ListDeadLetters("fake:a");
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].seq, bad1);
  auto stats = dispatcher_->Stats()[0];
  EXPECT_EQ(stats.dead_lettered, 1u);
  EXPECT_EQ(stats.failed_attempts, 3u);
  EXPECT_EQ(stats.delivered, 1 + 3 * others.size());

  // A dead-letter retry takes the turn of its key's lane: it waits for a delivery of
  // the same key in progress instead of overlapping it.
  handler_->Gate(bad);
  Put(bad);
  ASSERT_TRUE(handler_->WaitInFlight(bad));
  Status retried;
  std::thread retry([&] { retried = dispatcher_->RetryDeadLetter("fake:a", bad1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // time to overlap, if it could
  handler_->Open(bad);
  retry.join();
  EXPECT_TRUE(retried.ok()) << retried.ToString();
  EXPECT_EQ(StatusOf(bad1), "delivered");
  EXPECT_TRUE(dispatcher_->ListDeadLetters()->empty());
  EXPECT_EQ(handler_->same_key_overlaps(), 0);
}

TEST_F(DispatcherLanesTest, PersistedCursorNeverPassesAnUnsettledEvent) {
  auto options = FastOptions();
  options.initial_backoff_ms = 60000;
  options.max_backoff_ms = 60000;
  Start(kLanes, options);
  const std::string stuck = "stuck";
  const auto others = KeysInDistinctLanes(kLanes - 1, "ok", DeliveryLane("b1", stuck, kLanes));
  handler_->Fail(stuck, DeliveryOutcome::kRetryable);
  handler_->Gate(stuck);
  for (const auto& key : others) Put(key);
  const uint64_t stuck_seq = Put(stuck);
  std::set<uint64_t> after;
  for (const auto& key : others) after.insert(Put(key));
  after.insert(stuck_seq);

  // Everything else is delivered; the durable cursor stops right before the stuck event.
  ASSERT_TRUE(WaitUntil([&] { return handler_->CallCount() == 2 * others.size() + 1; }));
  ASSERT_TRUE(WaitUntil([&] { return PersistedCursor() == stuck_seq - 1; }));
  // Killed mid-way: Stop while the stuck key's lane is inside Deliver (then in backoff).
  std::thread stopper([&] { dispatcher_->Stop(); });
  handler_->Open(stuck);
  stopper.join();
  EXPECT_EQ(PersistedCursor(), stuck_seq - 1);
  EXPECT_EQ(StatusOf(stuck_seq), "retrying");
  dispatcher_.reset();

  // Restarted: the stuck event is delivered again, and so is what followed it.
  Start(kLanes);
  ASSERT_TRUE(WaitUntil([&] { return Settled() && handler_->CallCount() == after.size(); }));
  std::set<uint64_t> redelivered;
  for (const auto& c : handler_->Calls()) redelivered.insert(c.seq);
  EXPECT_EQ(redelivered, after);
  EXPECT_TRUE(WaitUntil([&] { return StatusOf(stuck_seq) == "delivered"; }))
      << StatusOf(stuck_seq);
  dispatcher_->Stop();
  EXPECT_EQ(PersistedCursor(), store_->events()->Watermark());
}

TEST_F(DispatcherLanesTest, ReplayAndTestEventsGoThroughTheLanes) {
  Start();
  const std::vector<std::string> keys = {"p", "q", "r"};
  std::map<std::string, std::vector<uint64_t>> expected;
  for (int round = 0; round < 3; ++round) {
    for (const auto& key : keys) expected[key].push_back(Put(key));
  }
  ASSERT_TRUE(WaitUntil([&] { return Settled() && handler_->CallCount() == 9; }));
  ASSERT_TRUE(dispatcher_->Replay("fake:a", expected["p"][0]).ok());
  ASSERT_TRUE(WaitUntil([&] { return Settled() && handler_->CallCount() == 18; }));
  for (auto& [key, seqs] : expected) {
    std::vector<uint64_t> twice = seqs;
    twice.insert(twice.end(), seqs.begin(), seqs.end());
    EXPECT_EQ(SeqsByKey(handler_)[key], twice) << key;
  }
  dispatcher_->SendTestEvent("arn:kumo:sqs::a:fake", "b1");
  ASSERT_TRUE(WaitUntil([&] { return handler_->CallCount() == 19; }));
  EXPECT_EQ(handler_->Calls().back().name, "s3:TestEvent");
  EXPECT_EQ(handler_->same_key_overlaps(), 0);
}

}  // namespace
}  // namespace kumo::events
