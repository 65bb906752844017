#include "common/time_util.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <string>

namespace kumo {
namespace {

// The formatters compute the calendar by hand; strftime on gmtime_r is the reference.
std::string Reference(int64_t unix_seconds, const char* fmt) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  return std::string(buf, std::strftime(buf, sizeof(buf), fmt, &tm));
}

TEST(TimeUtilTest, KnownInstants) {
  EXPECT_EQ(FormatRfc1123(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(FormatAmzDate(1440938160), "20150830T123600Z");              // SigV4 docs' example
  EXPECT_EQ(FormatIso8601Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(951782400123), "2000-02-29T00:00:00.123Z");  // leap day
  EXPECT_EQ(FormatIso8601Millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc1123(-86400), "Wed, 31 Dec 1969 00:00:00 GMT");
}

TEST(TimeUtilTest, MatchesStrftimeOverFourHundredYears) {
  std::mt19937_64 rng(20261129);
  // 1800 to 2200: leap centuries (2000) and non-leap ones (1900, 2100) included.
  std::uniform_int_distribution<int64_t> seconds(-5364662400, 7258118400);
  for (int i = 0; i < 20000; ++i) {
    int64_t s = seconds(rng);
    ASSERT_EQ(FormatRfc1123(s), Reference(s, "%a, %d %b %Y %H:%M:%S GMT")) << s;
    ASSERT_EQ(FormatAmzDate(s), Reference(s, "%Y%m%dT%H%M%SZ")) << s;
    int ms = static_cast<int>(rng() % 1000);
    char tail[8];
    std::snprintf(tail, sizeof(tail), ".%03dZ", ms);
    ASSERT_EQ(FormatIso8601Millis(s * 1000 + ms), Reference(s, "%Y-%m-%dT%H:%M:%S") + tail) << s;
  }
}

TEST(TimeUtilTest, FormatsRoundTripThroughTheParsers) {
  for (int64_t s : {int64_t{0}, int64_t{951782400}, int64_t{1795000000}, int64_t{253402300799}}) {
    EXPECT_EQ(ParseHttpDate(FormatRfc1123(s)), s);
    EXPECT_EQ(ParseAmzDate(FormatAmzDate(s)), s);
  }
}

TEST(TimeUtilTest, YearsBeyondFourDigitsFallBackToStrftime) {
  const int64_t year_10000 = 253402300800;  // 10000-01-01T00:00:00Z
  EXPECT_EQ(FormatAmzDate(year_10000), Reference(year_10000, "%Y%m%dT%H%M%SZ"));
  EXPECT_EQ(FormatIso8601Millis(year_10000 * 1000), "10000-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace kumo
