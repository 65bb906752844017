#include "policy/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

namespace kumo::policy {
namespace {

TEST(GlobMatchTest, LiteralsAndWildcards) {
  EXPECT_TRUE(GlobMatch("abc", "abc"));
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_FALSE(GlobMatch("abcd", "abc"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything/at/all"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/photos/cat.jpg"));
  EXPECT_TRUE(GlobMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/"));
  EXPECT_FALSE(GlobMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
  EXPECT_TRUE(GlobMatch("*.jpg", "a.jpg.jpg"));
  EXPECT_FALSE(GlobMatch("*.jpg", "a.jpg.png"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYbZZc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXcYYb"));
  EXPECT_TRUE(GlobMatch("**a**", "xxaxx"));
  EXPECT_TRUE(GlobMatch("?*", "x"));
  EXPECT_FALSE(GlobMatch("?*", ""));
}

TEST(GlobMatchTest, CaseFolding) {
  EXPECT_FALSE(GlobMatch("s3:get*", "s3:GetObject"));
  EXPECT_TRUE(GlobMatch("s3:get*", "s3:GetObject", /*ignore_case=*/true));
  EXPECT_TRUE(GlobMatch("S3:GETOBJECT", "s3:GetObject", /*ignore_case=*/true));
}

TEST(GlobMatchTest, PathologicalPatternIsNotExponential) {
  // A backtracking matcher takes O(n^6) or worse here; this one is linear in the text.
  const std::string text(200000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(GlobMatch("a*a*a*a*a*a*b", text));
  EXPECT_TRUE(GlobMatch("a*a*a*a*a*a*a", text));
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b*", text));
  auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::cout << "pathological globs over 200000 chars: " << ms << " us\n";
}

TEST(CaseHelpersTest, Ascii) {
  EXPECT_TRUE(EqualsIgnoreCase("StringEquals", "stringequals"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abd"));
  EXPECT_EQ(ToLower("AWS:SourceIp"), "aws:sourceip");
  EXPECT_TRUE(HasWildcard("s3:Get*"));
  EXPECT_TRUE(HasWildcard("a?"));
  EXPECT_FALSE(HasWildcard("s3:GetObject"));
}

}  // namespace
}  // namespace kumo::policy
