// Target outages: a handler whose target is unavailable pauses and probes, moves no
// cursor and dead-letters nothing, shows the outage in its stats, keeps the outage's
// start across a restart, and fails events as before once outage_max_ms has passed.
#include <gtest/gtest.h>

#include "dispatcher_harness.h"
#include "events/dispatcher.h"
#include "events/event_state.h"

namespace kumo::events {
namespace {

using testing::FastOptions;
using testing::MakeBucket;
using testing::MakeDispatcher;
using testing::OpenStore;
using testing::PutObject;
using testing::QueueRule;
using testing::SetNotification;
using testing::TempDir;
using testing::WaitUntil;

class DispatcherOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    MakeBucket(store_.get(), "b1");
    SetNotification(store_.get(), "b1",
                    {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  }
  static DispatcherOptions Options() {
    DispatcherOptions o = FastOptions();
    o.max_attempts = 2;  // a probe counted as an attempt would dead-letter at once
    return o;
  }
  bool Outage() { return store_->events()->GetState(OutageKey("fake:a"))->has_value(); }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DispatcherOutageTest, AnUnavailableTargetPausesDeliveryUntilItAnswers) {
  auto h = MakeDispatcher(store_.get(), {"a"}, Options(), /*start=*/false);
  h.fakes[0]->SetDefault(DeliveryOutcome::kUnavailable);
  h.fakes[0]->SetError("connection refused");
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "first");
  PutObject(store_.get(), "b1", "second");
  // Probed several times, always with the first event: the second waits behind it.
  ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() >= 5; }));
  for (const auto& key : h.fakes[0]->Keys()) EXPECT_EQ(key, "first");
  auto stats = h->Stats();
  EXPECT_GT(stats[0].unavailable_since_ms, 0);
  EXPECT_EQ(stats[0].unavailable_reason, "connection refused");
  EXPECT_EQ(stats[0].lag, 2u);
  EXPECT_EQ(stats[0].failed_attempts, 0u);
  EXPECT_TRUE(Outage());
  h.fakes[0]->SetDefault(DeliveryOutcome::kDelivered);
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  auto keys = h.fakes[0]->Keys();
  ASSERT_GE(keys.size(), 2u);
  EXPECT_EQ(keys.back(), "second");
  EXPECT_EQ(keys[keys.size() - 2], "first");
  stats = h->Stats();
  EXPECT_EQ(stats[0].unavailable_since_ms, 0);
  EXPECT_EQ(stats[0].delivered, 2u);
  EXPECT_EQ(stats[0].dead_lettered, 0u);
  EXPECT_TRUE(h->ListDeadLetters()->empty());
  EXPECT_FALSE(Outage());
}

TEST_F(DispatcherOutageTest, TheOutageStartSurvivesARestart) {
  int64_t since = 0;
  {
    auto h = MakeDispatcher(store_.get(), {"a"}, Options(), /*start=*/false);
    h.fakes[0]->SetDefault(DeliveryOutcome::kUnavailable);
    ASSERT_TRUE(h->Start().ok());
    PutObject(store_.get(), "b1", "k");
    ASSERT_TRUE(WaitUntil([&] { return h->Stats()[0].unavailable_since_ms > 0; }));
    since = h->Stats()[0].unavailable_since_ms;
  }
  auto h = MakeDispatcher(store_.get(), {"a"}, Options(), /*start=*/false);
  h.fakes[0]->SetDefault(DeliveryOutcome::kUnavailable);
  ASSERT_TRUE(h->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return h->Stats()[0].unavailable_since_ms > 0; }));
  EXPECT_EQ(h->Stats()[0].unavailable_since_ms, since);
  h.fakes[0]->SetDefault(DeliveryOutcome::kDelivered);
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  EXPECT_TRUE(h->ListDeadLetters()->empty());
}

TEST_F(DispatcherOutageTest, PastTheOutageWindowEventsFailAsBefore) {
  DispatcherOptions options = Options();
  options.outage_max_ms = 0;
  auto h = MakeDispatcher(store_.get(), {"a"}, options, /*start=*/false);
  h.fakes[0]->SetDefault(DeliveryOutcome::kUnavailable);
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "k");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->CallCount(), 2u);  // max_attempts
  EXPECT_EQ(h->ListDeadLetters()->size(), 1u);
}

TEST_F(DispatcherOutageTest, ARefusedEventEndsTheOutage) {
  auto h = MakeDispatcher(store_.get(), {"a"}, Options(), /*start=*/false);
  h.fakes[0]->Script(
      {DeliveryOutcome::kUnavailable, DeliveryOutcome::kUnavailable, DeliveryOutcome::kPermanent});
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "refused");
  PutObject(store_.get(), "b1", "after");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  EXPECT_EQ(h.fakes[0]->Keys(),
            (std::vector<std::string>{"refused", "refused", "refused", "after"}));
  EXPECT_EQ(h->ListDeadLetters()->size(), 1u);
  EXPECT_EQ(h->Stats()[0].unavailable_since_ms, 0);
  EXPECT_FALSE(Outage());
}

}  // namespace
}  // namespace kumo::events
