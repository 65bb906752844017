#include "events/event_state.h"

#include <gtest/gtest.h>

#include "events/arn.h"
#include "test_util.h"

namespace kumo::events {
namespace {

TEST(EventStateTest, KeysSortBySequence) {
  EXPECT_EQ(PaddedSeq(42), "00000000000000000042");
  EXPECT_EQ(PaddedSeq(UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(CursorKey("webhook:alerts"), "cursor/webhook:alerts");
  EXPECT_EQ(OutcomeKey(7, "webhook:a"), "outcome/00000000000000000007/webhook:a");
  EXPECT_EQ(DeadLetterKey("webhook:a", 7), "dead/webhook:a/00000000000000000007");
  EXPECT_EQ(DeadLetterPrefix(""), "dead/");
  EXPECT_LT(OutcomeKey(9, "z"), OutcomeKey(10, "a"));
}

TEST(EventStateTest, OutcomeAndDeadLetterRoundTrip) {
  Outcome o{"retrying", 2, "HTTP 503", 1700000000123};
  Outcome o2;
  ASSERT_TRUE(DecodeOutcome(EncodeOutcome(o), &o2));
  EXPECT_EQ(o2.status, "retrying");
  EXPECT_EQ(o2.attempts, 2);
  EXPECT_EQ(o2.error, "HTTP 503");
  EXPECT_EQ(o2.time_ms, 1700000000123);
  EXPECT_FALSE(DecodeOutcome("not json", &o2));
  // Errors quote receivers' answers verbatim: anything must survive the encoding.
  Outcome hostile{"dead", 5, "HTTP 500: {\"msg\": \"a\\b\"}\n\t\x01 ünï", 1};
  ASSERT_TRUE(DecodeOutcome(EncodeOutcome(hostile), &o2));
  EXPECT_EQ(o2.error, hostile.error);
  EXPECT_EQ(o2.status, "dead");

  // Aggregate initialization only: GCC 12 at -O3 warns falsely (-Wrestrict,
  // -Wmaybe-uninitialized) on member-by-member string assignments here.
  const DeadLetter d{12,
                     "webhook:a",
                     "r1",
                     "boom",
                     5,
                     1700000000000,
                     storage::EventRecord{12, 0, "ObjectCreated:Put", "b", "dir/a b+c", 123, "abc",
                                          "", "", "", 3, 1}};
  DeadLetter d2;
  ASSERT_TRUE(DecodeDeadLetter(EncodeDeadLetter(d), &d2));
  EXPECT_EQ(d2.seq, 12u);
  EXPECT_EQ(d2.handler, "webhook:a");
  EXPECT_EQ(d2.rule_id, "r1");
  EXPECT_EQ(d2.attempts, 5);
  EXPECT_EQ(d2.record.key, "dir/a b+c");
  EXPECT_EQ(d2.record.size, 123u);
  EXPECT_EQ(d2.record.parent_seq, 3u);
  EXPECT_EQ(d2.record.depth, 1u);
  EXPECT_FALSE(DecodeDeadLetter("[]", &d2));
}

TEST(EventStateTest, CursorReadsBack) {
  testing::TempDir dir;
  auto store = testing::OpenStore(dir.path());
  auto missing = ReadCursor(store->events(), "h");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->first);
  ASSERT_TRUE(store->events()->PutState(CursorKey("h"), "17").ok());
  EXPECT_EQ(ReadCursor(store->events(), "h")->second, 17u);
  ASSERT_TRUE(store->events()->PutState(CursorKey("h"), "x").ok());
  EXPECT_TRUE(ReadCursor(store->events(), "h").status().Is(ErrorCode::kCorruption));
}

TEST(ArnTest, RegionAndAccountFieldsAreFree) {
  EXPECT_TRUE(SameArn("arn:kumo:sqs::alerts:webhook", "arn:kumo:sqs:us-east-1:alerts:webhook"));
  EXPECT_FALSE(SameArn("arn:kumo:sqs::alerts:webhook", "arn:kumo:sqs::other:webhook"));
  EXPECT_TRUE(SameArn("arn:kumo:lambda:::function:thumb",
                      "arn:kumo:lambda:eu-west-1:123456789012:function:thumb"));
  EXPECT_FALSE(SameArn("arn:kumo:lambda:::function:thumb", "arn:kumo:lambda:::function:other"));
  EXPECT_EQ(CanonicalArn("arn:kumo:sqs:r:alerts:webhook"), "arn:kumo:sqs::alerts:webhook");
  EXPECT_EQ(CanonicalArn("not-an-arn"), "not-an-arn");
}


TEST(EventStateTest, DeadLettersWithBytesThatAreNoUtf8EncodeAndKeepTheKeyExact) {
  DeadLetter d;
  d.seq = 5;
  d.handler = "webhook:a";
  d.rule_id = "r\xFF";
  d.error = "HTTP 400: a\xC3";
  d.attempts = 1;
  d.record.seq = 5;
  d.record.key = std::string("k\xC3\0\xFE", 4);
  std::string json;
  ASSERT_NO_THROW(json = EncodeDeadLetter(d));
  DeadLetter back;
  ASSERT_TRUE(DecodeDeadLetter(json, &back));
  EXPECT_EQ(back.error, "HTTP 400: a\xEF\xBF\xBD");
  EXPECT_EQ(back.record.key, d.record.key);
  Outcome o{"dead", 1, d.error, 1};
  Outcome o2;
  ASSERT_TRUE(DecodeOutcome(EncodeOutcome(o), &o2));
  EXPECT_EQ(o2.error, "HTTP 400: a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace kumo::events
