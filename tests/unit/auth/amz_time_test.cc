#include <gtest/gtest.h>

#include "auth/sigv4_internal.h"

namespace kumo::auth::internal {
namespace {

TEST(AmzTimeTest, ParsesAndFormatsBasicIso8601) {
  int64_t t = 0;
  ASSERT_TRUE(ParseAmzDate("20130524T000000Z", &t));
  EXPECT_EQ(t, 1369353600);
  EXPECT_EQ(FormatAmzDate(t), "20130524T000000Z");
  ASSERT_TRUE(ParseAmzDate("19700101T000000Z", &t));
  EXPECT_EQ(t, 0);
  ASSERT_TRUE(ParseAmzDate("20240229T235959Z", &t));
  EXPECT_EQ(FormatAmzDate(t), "20240229T235959Z");
  EXPECT_EQ(FormatAmzDate(4102444800), "21000101T000000Z");
}

TEST(AmzTimeTest, RejectsMalformedDates) {
  int64_t t = 0;
  for (const char* bad :
       {"", "20130524T000000", "20130524 000000Z", "2013-05-24T00:00:00Z", "20131324T000000Z",
        "20130500T000000Z", "20130524T240000Z", "2013052aT000000Z", "20130524T000000Zx"}) {
    EXPECT_FALSE(ParseAmzDate(bad, &t)) << bad;
  }
}

TEST(AmzTimeTest, ParsesHttpDate) {
  int64_t t = 0;
  ASSERT_TRUE(ParseHttpDate("Fri, 24 May 2013 00:00:00 GMT", &t));
  EXPECT_EQ(t, 1369353600);
  ASSERT_TRUE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", &t));
  EXPECT_EQ(t, 784111777);
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT", &t));
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", &t));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC", &t));
}

TEST(TrimAllTest, CollapsesBlanks) {
  EXPECT_EQ(TrimAll("  a   b \t c  "), "a b c");
  EXPECT_EQ(TrimAll(""), "");
  EXPECT_EQ(TrimAll("   "), "");
  EXPECT_EQ(TrimAll("x"), "x");
}

TEST(CredentialTest, ParsesScopeFromTheRight) {
  Credential c;
  EXPECT_EQ(ParseCredential("AK/20130524/eu-west-3/s3/aws4_request", &c), "");
  EXPECT_EQ(c.access_key, "AK");
  EXPECT_EQ(c.region, "eu-west-3");
  EXPECT_EQ(c.Scope(), "20130524/eu-west-3/s3/aws4_request");
  EXPECT_NE(ParseCredential("/20130524/r/s3/aws4_request", &c), "");
  EXPECT_NE(ParseCredential("AK/2013052/r/s3/aws4_request", &c), "");
  EXPECT_NE(ParseCredential("AK/20130524//s3/aws4_request", &c), "");
  EXPECT_NE(ParseCredential("AK/20130524/r/s3/aws5_request", &c), "");
}

TEST(SigningKeyCacheTest, MatchesDerivation) {
  auto& cache = SigningKeyCache::Global();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.Get("secret", "20130524", "us-east-1"),
              DeriveSigningKey("secret", "20130524", "us-east-1", "s3"));
  }
  EXPECT_NE(cache.Get("secret", "20130524", "us-east-1"),
            cache.Get("secret2", "20130524", "us-east-1"));
  EXPECT_NE(cache.Get("secret", "20130524", "us-east-1"),
            cache.Get("secret", "20130525", "us-east-1"));
}

TEST(SigningKeyCacheTest, AlternatingRequestsEachGetTheirOwnKey) {
  // The per-thread memo of the last answer must never hand one request's key to the next.
  auto& cache = SigningKeyCache::Global();
  const char* secrets[] = {"s1", "s2", "s1"};
  const char* dates[] = {"20130524", "20130524", "20130525"};
  const char* regions[] = {"us-east-1", "eu-west-1", "us-east-1"};
  for (int round = 0; round < 3; ++round) {
    for (const char* secret : secrets) {
      for (const char* date : dates) {
        for (const char* region : regions) {
          ASSERT_EQ(cache.Get(secret, date, region), DeriveSigningKey(secret, date, region, "s3"))
              << secret << " " << date << " " << region;
        }
      }
    }
  }
}

}  // namespace
}  // namespace kumo::auth::internal
