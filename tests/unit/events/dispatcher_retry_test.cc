// Dispatcher retries and dead letters: backoff retries until delivered, dead-lettering
// after max_attempts or at once on a permanent failure, the dead-letter API, and a
// prompt Stop in the middle of a backoff that leaves the event undelivered.
#include <gtest/gtest.h>

#include <chrono>

#include "common/utf8.h"
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

constexpr auto kRetry = DeliveryOutcome::kRetryable;
constexpr auto kOk = DeliveryOutcome::kDelivered;

class DispatcherRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    MakeBucket(store_.get(), "b1");
    SetNotification(store_.get(), "b1",
                    {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  }
  Outcome OutcomeOf(uint64_t seq) {
    auto outcomes = ReadOutcomes(store_->events(), seq);
    EXPECT_TRUE(outcomes.ok());
    EXPECT_EQ(outcomes->size(), 1u);
    return outcomes->empty() ? Outcome{} : outcomes->front().second;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DispatcherRetryTest, RetriesUntilDelivered) {
  auto h = MakeDispatcher(store_.get(), {"a"}, FastOptions(), /*start=*/false);
  h.fakes[0]->Script({kRetry, kRetry, kOk});
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "k");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 3; }));
  auto calls = h.fakes[0]->Calls();
  EXPECT_EQ(calls[0].payload, calls[2].payload);
  Outcome o = OutcomeOf(calls[0].record.seq);
  EXPECT_EQ(o.status, "delivered");
  EXPECT_EQ(o.attempts, 3);
  auto stats = h->Stats();
  EXPECT_EQ(stats[0].delivered, 1u);
  EXPECT_EQ(stats[0].failed_attempts, 2u);
  EXPECT_EQ(stats[0].dead_lettered, 0u);
  EXPECT_TRUE(h->ListDeadLetters()->empty());
}

TEST_F(DispatcherRetryTest, DeadLettersAfterMaxAttemptsAndMovesOn) {
  auto options = FastOptions();
  options.max_attempts = 3;
  auto h = MakeDispatcher(store_.get(), {"a"}, options, /*start=*/false);
  h.fakes[0]->Script({kRetry, kRetry, kRetry});  // then delivered
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "bad");
  PutObject(store_.get(), "b1", "good");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 4; }));
  EXPECT_EQ(h.fakes[0]->Keys(), (std::vector<std::string>{"bad", "bad", "bad", "good"}));
  uint64_t seq = h.fakes[0]->Calls()[0].record.seq;
  Outcome o = OutcomeOf(seq);
  EXPECT_EQ(o.status, "dead");
  EXPECT_EQ(o.attempts, 3);
  EXPECT_EQ(o.error, "fake failure");

  auto dead = h->ListDeadLetters("fake:a");
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].seq, seq);
  EXPECT_EQ((*dead)[0].handler, "fake:a");
  EXPECT_EQ((*dead)[0].rule_id, "ra");
  EXPECT_EQ((*dead)[0].attempts, 3);
  EXPECT_EQ((*dead)[0].error, "fake failure");
  EXPECT_EQ((*dead)[0].record.key, "bad");
  EXPECT_EQ(h->ListDeadLetters()->size(), 1u);
  EXPECT_TRUE(h->ListDeadLetters("fake:other")->empty());
  EXPECT_EQ(h->Stats()[0].dead_lettered, 1u);

  // Retried once the receiver is fixed: delivered, the dead letter is gone.
  ASSERT_TRUE(h->RetryDeadLetter("fake:a", seq).ok());
  EXPECT_EQ(h.fakes[0]->Calls().back().record.key, "bad");
  EXPECT_TRUE(h->ListDeadLetters()->empty());
  EXPECT_EQ(OutcomeOf(seq).status, "delivered");
  EXPECT_TRUE(h->RetryDeadLetter("fake:a", seq).Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(h->RetryDeadLetter("fake:nobody", seq).Is(ErrorCode::kNoSuchKey));
}

TEST_F(DispatcherRetryTest, PermanentFailureDeadLettersAtOnce) {
  auto h = MakeDispatcher(store_.get(), {"a"}, FastOptions(), /*start=*/false);
  h.fakes[0]->Script({DeliveryOutcome::kPermanent});
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "k");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 1; }));
  auto dead = h->ListDeadLetters();
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].attempts, 1);
}

TEST_F(DispatcherRetryTest, FailedRetryKeepsTheDeadLetterAndDropRemovesIt) {
  auto options = FastOptions();
  options.max_attempts = 1;
  auto h = MakeDispatcher(store_.get(), {"a"}, options, /*start=*/false);
  h.fakes[0]->SetDefault(kRetry);
  ASSERT_TRUE(h->Start().ok());
  PutObject(store_.get(), "b1", "k");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h->ListDeadLetters()->size() == 1; }));
  uint64_t seq = (*h->ListDeadLetters())[0].seq;
  EXPECT_TRUE(h->RetryDeadLetter("fake:a", seq).Is(ErrorCode::kServiceUnavailable));
  auto dead = h->ListDeadLetters();
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].attempts, 2);
  ASSERT_TRUE(h->DropDeadLetter("fake:a", seq).ok());
  EXPECT_TRUE(h->ListDeadLetters()->empty());
  EXPECT_TRUE(h->DropDeadLetter("fake:a", seq).Is(ErrorCode::kNoSuchKey));
}

TEST_F(DispatcherRetryTest, StopIsPromptMidBackoffAndTheEventIsRedelivered) {
  auto options = FastOptions();
  options.initial_backoff_ms = 60000;
  options.max_backoff_ms = 60000;
  uint64_t seq = 0;
  {
    auto h = MakeDispatcher(store_.get(), {"a"}, options, /*start=*/false);
    h.fakes[0]->SetDefault(kRetry);
    ASSERT_TRUE(h->Start().ok());
    PutObject(store_.get(), "b1", "k");
    ASSERT_TRUE(WaitUntil([&] { return h.fakes[0]->CallCount() >= 1; }));
    seq = h.fakes[0]->Calls()[0].record.seq;
    auto start = std::chrono::steady_clock::now();
    h->Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    EXPECT_EQ(OutcomeOf(seq).status, "retrying");
    auto cursor = ReadCursor(store_->events(), "fake:a");
    ASSERT_TRUE(cursor.ok());
    EXPECT_LT(cursor->second, seq);  // not past the undelivered event
  }
  auto h = MakeDispatcher(store_.get(), {"a"});
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 1; }));
  EXPECT_EQ(h.fakes[0]->Calls()[0].record.seq, seq);
  EXPECT_EQ(OutcomeOf(seq).status, "delivered");
}

// The reproduction of the review: a receiver answered 400 with "a" + "é" * 200, cut at
// 256 bytes inside a character. Writing the dead letter threw, the exception ended
// kumod, and the same event ended every later start.
TEST(DispatcherPoisonTest, AReasonThatIsNotUtf8IsDeadLetteredAndSurvivesARestart) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1",
                  {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  std::string body = "a";
  for (int i = 0; i < 200; ++i) body += "\xC3\xA9";
  const std::string reason = "HTTP 400: " + body.substr(0, 256);
  ASSERT_FALSE(IsValidUtf8(reason));
  {
    auto h = MakeDispatcher(store.get(), {"a"}, FastOptions(), /*start=*/false);
    h.fakes[0]->SetError(reason);
    h.fakes[0]->Script({DeliveryOutcome::kPermanent});
    ASSERT_TRUE(h->Start().ok());
    PutObject(store.get(), "b1", "poison");
    PutObject(store.get(), "b1", "after");
    ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 2; }));
    auto dead = h->ListDeadLetters();
    ASSERT_TRUE(dead.ok());
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_EQ((*dead)[0].record.key, "poison");
    EXPECT_TRUE(IsValidUtf8((*dead)[0].error));
    EXPECT_EQ((*dead)[0].error.substr(0, 11), "HTTP 400: a");
  }
  // A second start reads the same dead letter and goes on delivering.
  auto h = MakeDispatcher(store.get(), {"a"});
  PutObject(store.get(), "b1", "later");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 1; }));
  EXPECT_EQ(h.fakes[0]->Keys(), (std::vector<std::string>{"later"}));
  EXPECT_EQ(h->ListDeadLetters()->size(), 1u);
}

TEST(DispatcherPoisonTest, AHandlerThatThrowsFailsTheAttemptNotTheServer) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  MakeBucket(store.get(), "b1");
  SetNotification(store.get(), "b1",
                  {QueueRule("ra", "arn:kumo:sqs::a:fake", {"s3:ObjectCreated:*"})});
  auto options = FastOptions();
  options.max_attempts = 3;
  auto h = MakeDispatcher(store.get(), {"a"}, options, /*start=*/false);
  h.fakes[0]->ThrowNext(4);  // every attempt of the first event, then one of the second
  ASSERT_TRUE(h->Start().ok());
  PutObject(store.get(), "b1", "throws");
  PutObject(store.get(), "b1", "recovers");
  ASSERT_TRUE(WaitUntil([&] { return h.Settled() && h.fakes[0]->CallCount() == 5; }));
  auto dead = h->ListDeadLetters();
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].record.key, "throws");
  EXPECT_EQ((*dead)[0].error, "internal error: fake exception");
  auto stats = h->Stats();
  EXPECT_EQ(stats[0].delivered, 1u);
  EXPECT_EQ(stats[0].failed_attempts, 4u);
  EXPECT_EQ(stats[0].dead_lettered, 1u);
}

}  // namespace
}  // namespace kumo::events
