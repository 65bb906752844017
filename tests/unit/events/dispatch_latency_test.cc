// The delivery latency histogram (common/latency_histogram.h) and what the Dispatcher puts in
// it: the first attempt of each event first delivered since start, on both delivery
// paths (concurrency 1 and lanes); never retries, s3:TestEvents, replays, dead-letter
// retries, nor the events already in the outbox at start.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "common/latency_histogram.h"
#include "dispatcher_harness.h"
#include "events/dispatcher.h"
#include "lane_handler.h"

namespace kumo::events {
namespace {

using testing::FastOptions;
using testing::LaneHandler;
using testing::MakeBucket;
using testing::MakeDispatcher;
using testing::OpenStore;
using testing::PutObject;
using testing::QueueRule;
using testing::SetNotification;
using testing::TempDir;
using testing::WaitUntil;

constexpr size_t kInf = kLatencyBuckets - 1;  // the +Inf bucket

TEST(LatencyHistogramTest, BoundsAreInclusiveUpperBounds) {
  LatencyHistogram h;
  h.Record(0);
  h.Record(-5);  // a clock stepped back: 0
  h.Record(1'000);
  h.Record(1'001);
  h.Record(20'000);
  h.Record(10'000'000);
  h.Record(10'000'001);
  LatencySnapshot s = h.Snapshot();
  EXPECT_EQ(s.buckets[0], 3u);         // le 0.001
  EXPECT_EQ(s.buckets[1], 1u);         // le 0.002
  EXPECT_EQ(s.buckets[4], 1u);         // le 0.02
  EXPECT_EQ(s.buckets[kInf - 1], 1u);  // le 10
  EXPECT_EQ(s.buckets[kInf], 1u);
  EXPECT_EQ(s.count, 7u);
  EXPECT_EQ(std::accumulate(s.buckets.begin(), s.buckets.end(), uint64_t{0}), s.count);
  EXPECT_EQ(s.sum_us, 1'000u + 1'001 + 20'000 + 10'000'000 + 10'000'001);
}

TEST(LatencyHistogramTest, ConcurrentRecordsAreAllCounted) {
  LatencyHistogram h;
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kEach; ++i) h.Record(static_cast<int64_t>(t) * 7'000 + i % 3);
    });
  }
  for (auto& t : threads) t.join();
  LatencySnapshot s = h.Snapshot();
  EXPECT_EQ(s.count, static_cast<uint64_t>(kThreads) * kEach);
  EXPECT_EQ(s.buckets[0], static_cast<uint64_t>(kEach));  // thread 0: 0..2 us
  uint64_t sum = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) sum += static_cast<uint64_t>(t) * 7'000 + i % 3;
  }
  EXPECT_EQ(s.sum_us, sum);
}

class DispatcherLatencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    MakeBucket(store_.get(), "b1");
    SetNotification(store_.get(), "b1",
                    {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  }
  static LatencySnapshot Latency(const Dispatcher& d) { return d.Stats()[0].dispatch_latency; }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DispatcherLatencyTest, TimesTheFirstAttemptOfNewEventsOnly) {
  auto options = FastOptions();
  options.max_attempts = 2;
  {
    // The handler's cursor exists; "old" is written while no dispatcher runs.
    auto first = MakeDispatcher(store_.get(), {"a"}, options);
    first->Stop();
  }
  PutObject(store_.get(), "b1", "old");
  auto h = MakeDispatcher(store_.get(), {"a"}, options, /*start=*/false);
  h.fakes[0]->Script({DeliveryOutcome::kDelivered,  // old
                      DeliveryOutcome::kDelivered,  // the s3:TestEvent
                      DeliveryOutcome::kRetryable,  // k1, then delivered
                      DeliveryOutcome::kDelivered, DeliveryOutcome::kPermanent});  // k2: dead
  ASSERT_TRUE(h->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 1 && h.Settled(); }));
  EXPECT_EQ(Latency(*h.dispatcher).count, 0u);  // in the outbox before Start

  h->SendTestEvent("arn:kumo:sqs::a:fake", "b1");
  PutObject(store_.get(), "b1", "k1");
  PutObject(store_.get(), "b1", "k2");
  PutObject(store_.get(), "b1", "k3");
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 6 && h.Settled(); }));
  LatencySnapshot s = Latency(*h.dispatcher);
  EXPECT_EQ(s.count, 3u);  // k1 (once, not its retry), k2, k3
  EXPECT_EQ(s.buckets[kInf], 0u);
  EXPECT_LT(s.sum_us, 3u * 10'000'000);

  // Deliveries again: a dead letter retried, a replay of everything since k1.
  uint64_t k1 = 0, k2 = 0;
  for (const auto& c : h.fakes[0]->Calls()) {
    if (c.record.key == "k1") k1 = c.record.seq;
    if (c.record.key == "k2") k2 = c.record.seq;
  }
  ASSERT_TRUE(h->RetryDeadLetter("fake:a", k2).ok());
  ASSERT_TRUE(h->Replay("fake:a", k1).ok());  // k1, k2, k3 again
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 10 && h.Settled(); }));
  EXPECT_EQ(Latency(*h.dispatcher).count, 3u);

  PutObject(store_.get(), "b1", "k4");
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() == 11 && h.Settled(); }));
  EXPECT_EQ(Latency(*h.dispatcher).count, 4u);
}

TEST_F(DispatcherLatencyTest, LanesTimeEachEventOnceAndNotItsReplay) {
  auto handler = std::make_unique<LaneHandler>("a", 4);
  LaneHandler* fake = handler.get();
  handler->Jitter(500);
  std::vector<std::unique_ptr<Handler>> handlers;
  handlers.push_back(std::move(handler));
  Dispatcher d(store_.get(), FastOptions(), std::move(handlers));
  ASSERT_TRUE(d.Start().ok());
  const uint64_t before = store_->events()->Watermark();
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i)
    PutObject(store_.get(), "b1", std::string("k").append(std::to_string(i)));
  auto settled = [&] { return d.Stats()[0].lag == 0; };
  ASSERT_TRUE(WaitUntil([&] { return fake->CallCount() == kEvents && settled(); }));
  EXPECT_EQ(Latency(d).count, static_cast<uint64_t>(kEvents));

  ASSERT_TRUE(d.Replay("fake:a", before + 1).ok());
  ASSERT_TRUE(WaitUntil([&] { return fake->CallCount() == 2 * kEvents && settled(); }));
  EXPECT_EQ(Latency(d).count, static_cast<uint64_t>(kEvents));
  d.Stop();
}

}  // namespace
}  // namespace kumo::events
