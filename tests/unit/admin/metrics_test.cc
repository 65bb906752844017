#include "admin/metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "../events/dispatcher_harness.h"
#include "../events/test_util.h"

namespace kumo::admin {
namespace {

using events::testing::MakeBucket;
using events::testing::DeleteObject;
using events::testing::MakeDispatcher;
using events::testing::OpenStore;
using events::testing::PutObject;
using events::testing::QueueRule;
using events::testing::SetNotification;
using events::testing::TempDir;
using events::testing::WaitUntil;

// The value of the sample whose name and labels are exactly `series`, or -1.
long long Sample(const std::string& text, const std::string& series) {
  size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::stoll(text.substr(at + series.size() + 1));
    at += series.size();
  }
  return -1;
}

TEST(MetricsTest, WithoutDispatcherOnlyTheOutboxAndAbandonedCalls) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b");
  PutObject(store.get(), "b", "k1");
  PutObject(store.get(), "b", "a/k2");
  std::string text = RenderMetrics(store.get(), nullptr);
  EXPECT_EQ(Sample(text, "kumo_events_written_total"), 2);
  EXPECT_EQ(Sample(text, "kumo_function_calls_abandoned"), 0);
  EXPECT_EQ(text.find("handler="), std::string::npos);
  EXPECT_NE(text.find("# TYPE kumo_events_written_total counter\n"), std::string::npos);
}

TEST(MetricsTest, StorageGaugesFollowPutsOverwritesAndDeletes) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b");
  PutObject(store.get(), "b", "k1", "12345");
  PutObject(store.get(), "b", "k2", "1234567");
  PutObject(store.get(), "b", "k1", "12");  // overwrite: 12345 becomes dead bytes
  DeleteObject(store.get(), "b", "k2");
  std::string text = RenderMetrics(store.get(), nullptr);
  EXPECT_EQ(Sample(text, "kumo_storage_objects"), 1);
  EXPECT_EQ(Sample(text, "kumo_storage_live_bytes"), 2);
  EXPECT_GT(Sample(text, "kumo_storage_dead_bytes"), 0);
  EXPECT_GE(Sample(text, "kumo_storage_segments"), 1);
  EXPECT_NE(text.find("# TYPE kumo_storage_live_bytes gauge\n"), std::string::npos);
}

TEST(MetricsTest, PerHandlerCountersLagLatencyAndRunningDelivery) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b");
  SetNotification(store.get(), "b",
                  {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"}, "a/"),
                   QueueRule("rb", "arn:kumo:sqs::b:fake", {"s3:ObjectCreated:*"}, "b/")});
  auto h = MakeDispatcher(store.get(), {"a", "b"});
  h.fakes[1]->SetDefault(events::DeliveryOutcome::kPermanent);
  PutObject(store.get(), "b", "a/k1");
  PutObject(store.get(), "b", "b/k1");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));

  std::string text = RenderMetrics(store.get(), h.dispatcher.get());
  EXPECT_EQ(Sample(text, "kumo_events_delivered_total{handler=\"fake:a\"}"), 1);
  EXPECT_EQ(Sample(text, "kumo_events_delivered_total{handler=\"fake:b\"}"), 0);
  EXPECT_EQ(Sample(text, "kumo_events_failed_total{handler=\"fake:b\"}"), 1);
  EXPECT_EQ(Sample(text, "kumo_events_dead_lettered_total{handler=\"fake:b\"}"), 1);
  EXPECT_EQ(Sample(text, "kumo_events_lag{handler=\"fake:a\"}"), 0);
  EXPECT_EQ(Sample(text, "kumo_events_running_delivery_seconds{handler=\"fake:a\"}"), 0);
  EXPECT_EQ(Sample(text, "kumo_event_dispatch_latency_seconds_count{handler=\"fake:a\"}"), 1);
  EXPECT_EQ(
      Sample(text, "kumo_event_dispatch_latency_seconds_bucket{handler=\"fake:a\",le=\"+Inf\"}"),
      1);

  // A delivery that takes a while shows its age, and the event is counted in the lag.
  h.fakes[0]->SetDelay(2500);
  PutObject(store.get(), "b", "a/k2");
  ASSERT_TRUE(WaitUntil([&] {
    return Sample(RenderMetrics(store.get(), h.dispatcher.get()),
                  "kumo_events_running_delivery_seconds{handler=\"fake:a\"}") >= 1;
  }));
  EXPECT_EQ(Sample(RenderMetrics(store.get(), h.dispatcher.get()),
                   "kumo_events_lag{handler=\"fake:a\"}"),
            1);
  ASSERT_TRUE(WaitUntil([&] { return h.Settled(); }));
  text = RenderMetrics(store.get(), h.dispatcher.get());
  EXPECT_EQ(Sample(text, "kumo_events_running_delivery_seconds{handler=\"fake:a\"}"), 0);
  EXPECT_EQ(Sample(text, "kumo_events_delivered_total{handler=\"fake:a\"}"), 2);
  h->Stop();
}

}  // namespace
}  // namespace kumo::admin
