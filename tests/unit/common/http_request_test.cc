#include "common/http_request.h"

#include <gtest/gtest.h>

namespace kumo {
namespace {

TEST(HttpRequestTest, HeaderLookupReturnsFirstMatch) {
  HttpRequest r;
  r.headers = {{"x-a", "1"}, {"x-b", "2"}, {"x-a", "3"}};
  ASSERT_NE(r.Header("x-a"), nullptr);
  EXPECT_EQ(*r.Header("x-a"), "1");
  EXPECT_EQ(r.Header("x-c"), nullptr);
  EXPECT_EQ(r.HeaderOr("x-b", "d"), "2");
  EXPECT_EQ(r.HeaderOr("x-c", "d"), "d");
}

TEST(UrlDecodeTest, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(UrlDecode("a%20b%2Fc%2fd"), "a b/c/d");
  EXPECT_EQ(UrlDecode("a+b"), "a+b");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("%41%42"), "AB");
  EXPECT_EQ(UrlDecode(""), "");
  EXPECT_EQ(UrlDecode("%00"), std::string(1, '\0'));
  EXPECT_EQ(UrlDecode("%e2%82%ac"), "\xe2\x82\xac");
}

TEST(UrlDecodeTest, RejectsMalformedEscapes) {
  EXPECT_EQ(UrlDecode("%"), std::nullopt);
  EXPECT_EQ(UrlDecode("%4"), std::nullopt);
  EXPECT_EQ(UrlDecode("abc%"), std::nullopt);
  EXPECT_EQ(UrlDecode("%zz"), std::nullopt);
  EXPECT_EQ(UrlDecode("%4g"), std::nullopt);
}

TEST(UrlEncodeTest, KeepsOnlyUnreservedSet) {
  EXPECT_EQ(UrlEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(UrlEncode("a b+c*d!e"), "a%20b%2Bc%2Ad%21e");
  EXPECT_EQ(UrlEncode("a/b"), "a%2Fb");
  EXPECT_EQ(UrlEncode("a/b", true), "a/b");
  EXPECT_EQ(UrlEncode("$=&?%"), "%24%3D%26%3F%25");
  EXPECT_EQ(UrlEncode("\xe2\x82\xac"), "%E2%82%AC");
  EXPECT_EQ(UrlEncode(std::string(1, '\0')), "%00");
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(UrlEncodeTest, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(UrlDecode(UrlEncode(all)), all);
  EXPECT_EQ(UrlDecode(UrlEncode(all, true)), all);
}

TEST(ParseQueryTest, SplitsAndDecodes) {
  auto q = ParseQuery("prefix=J&max-keys=2&lifecycle&a=b%3Dc&sp=x+y&e=");
  ASSERT_TRUE(q);
  StringPairs expected = {{"prefix", "J"}, {"max-keys", "2"}, {"lifecycle", ""},
                          {"a", "b=c"},    {"sp", "x y"},     {"e", ""}};
  EXPECT_EQ(*q, expected);
}

TEST(ParseQueryTest, EdgeCases) {
  EXPECT_EQ(ParseQuery("")->size(), 0u);
  EXPECT_EQ(ParseQuery("&&")->size(), 0u);
  StringPairs trailing = {{"a", "1"}};
  EXPECT_EQ(*ParseQuery("a=1&"), trailing);
  EXPECT_EQ(*ParseQuery("&a=1"), trailing);
  StringPairs eq_in_value = {{"a", "b=c"}};
  EXPECT_EQ(*ParseQuery("a=b=c"), eq_in_value);
  StringPairs empty_name = {{"", "v"}};
  EXPECT_EQ(*ParseQuery("=v"), empty_name);
  StringPairs repeated = {{"a", "2"}, {"a", "1"}};
  EXPECT_EQ(*ParseQuery("a=2&a=1"), repeated);
  EXPECT_EQ(ParseQuery("a=%zz"), std::nullopt);
  EXPECT_EQ(ParseQuery("%=1"), std::nullopt);
}

}  // namespace
}  // namespace kumo
