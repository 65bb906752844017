#include "events/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace kumo::events {
namespace {

TEST(BackoffTest, CeilingDoublesUpToTheMaximum) {
  EXPECT_EQ(BackoffCeilingMs(1, 200, 30000), 200);
  EXPECT_EQ(BackoffCeilingMs(2, 200, 30000), 400);
  EXPECT_EQ(BackoffCeilingMs(3, 200, 30000), 800);
  EXPECT_EQ(BackoffCeilingMs(8, 200, 30000), 25600);
  EXPECT_EQ(BackoffCeilingMs(9, 200, 30000), 30000);
  EXPECT_EQ(BackoffCeilingMs(1000, 200, 30000), 30000);  // no overflow
  EXPECT_EQ(BackoffCeilingMs(70, 1, INT64_MAX), INT64_MAX);
  EXPECT_EQ(BackoffCeilingMs(0, 200, 30000), 200);
  EXPECT_EQ(BackoffCeilingMs(1, 500, 100), 100);  // the maximum wins
  EXPECT_EQ(BackoffCeilingMs(3, 0, 30000), 0);
}

TEST(BackoffTest, FullJitterStaysWithinTheCeilingAndSpreads) {
  std::mt19937_64 rng(42);
  std::set<int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    int64_t d = FullJitterBackoffMs(3, 200, 30000, rng);
    ASSERT_GE(d, 0);
    ASSERT_LE(d, 800);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 300u);  // uniform over [0, 800], not a fixed delay
  EXPECT_LT(*seen.begin(), 100);
  EXPECT_GT(*seen.rbegin(), 700);
  EXPECT_EQ(FullJitterBackoffMs(5, 0, 0, rng), 0);
}

}  // namespace
}  // namespace kumo::events
