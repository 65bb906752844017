#include "s3/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kumo::s3 {
namespace {

TEST(ValidateBucketNameTest, AcceptsValidNames) {
  for (std::string name : {"abc", "my-bucket.1", "a.b.c", "1bucket", "bucket1", "a-b-c",
                           "my.bucket.name", "1.2.3", "a1b2c3", "x--y"}) {
    EXPECT_TRUE(ValidateBucketName(name).ok()) << name;
  }
  EXPECT_TRUE(ValidateBucketName(std::string(63, 'a')).ok());
  EXPECT_TRUE(ValidateBucketName(std::string(3, '7')).ok());
}

TEST(ValidateBucketNameTest, RejectsInvalidNames) {
  std::vector<std::string> invalid = {
      "",           "ab",          "ABC",        "Abc",       "abC",        "my_bucket",
      "a..b",       "-abc",        "abc-",       ".abc",      "abc.",       "a.-b",
      "a-.b",       "192.168.1.1", "10.0.0.255", "xn--abc",   "sthree-abc", "abc-s3alias",
      "abc--ol-s3", "a b c",       "abc/def",    "ab\xc3\xa9"};
  invalid.push_back(std::string("ab\0c", 4));
  invalid.push_back(std::string(64, 'a'));
  for (const std::string& name : invalid) {
    Status s = ValidateBucketName(name);
    EXPECT_TRUE(s.Is(ErrorCode::kInvalidBucketName)) << "'" << name << "': " << s.ToString();
  }
}

TEST(ValidateObjectKeyTest, LengthLimitIsInBytes) {
  EXPECT_TRUE(ValidateObjectKey("a").ok());
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'a')).ok());
  Status s = ValidateObjectKey(std::string(1025, 'a'));
  EXPECT_TRUE(s.Is(ErrorCode::kKeyTooLongError)) << s.ToString();
  // 342 three-byte characters: 342 chars but 1026 bytes.
  std::string euros;
  for (int i = 0; i < 342; ++i) euros += "\xe2\x82\xac";
  s = ValidateObjectKey(euros);
  EXPECT_TRUE(s.Is(ErrorCode::kKeyTooLongError)) << s.ToString();
  euros.resize(1023);  // 341 whole characters
  EXPECT_TRUE(ValidateObjectKey(euros).ok());
}

TEST(ValidateObjectKeyTest, EmptyKeyIsRejected) {
  Status s = ValidateObjectKey("");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.Is(ErrorCode::kInvalidArgument)) << s.ToString();
}

TEST(ValidateObjectKeyTest, AcceptsUnicodeAndControlCharacters) {
  for (const std::string& key :
       std::vector<std::string>{"photos/2024/\xc3\xa9t\xc3\xa9.jpg",     // été
                                "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",  // 日本語
                                "emoji-\xf0\x9f\x98\x80",                // U+1F600
                                "max-\xf4\x8f\xbf\xbf",                  // U+10FFFF
                                "\xef\xbf\xbd",                          // U+FFFD
                                "tab\there", "line\nbreak", "bell\x01\x1f\x7f", "a//b", "../x", " ",
                                std::string("nul\0inside", 10)}) {
    Status s = ValidateObjectKey(key);
    EXPECT_TRUE(s.ok()) << "'" << key << "': " << s.ToString();
  }
}

void ExpectInvalidUtf8(const std::string& key, const char* why) {
  Status s = ValidateObjectKey(key);
  EXPECT_TRUE(s.Is(ErrorCode::kInvalidArgument)) << why << ": " << s.ToString();
}

TEST(ValidateObjectKeyTest, RejectsMalformedUtf8) {
  ExpectInvalidUtf8("\xff", "0xFF is never valid");
  ExpectInvalidUtf8("ab\xfe", "0xFE is never valid");
  ExpectInvalidUtf8("\x80", "lone continuation byte");
  ExpectInvalidUtf8(
      "a\xbf"
      "b",
      "lone continuation byte inside");
  ExpectInvalidUtf8("\xc3", "truncated 2-byte sequence at the end");
  ExpectInvalidUtf8("\xe2\x82", "truncated 3-byte sequence at the end");
  ExpectInvalidUtf8("\xf0\x9f\x98", "truncated 4-byte sequence at the end");
  ExpectInvalidUtf8("\xc3(", "bad continuation byte");
  ExpectInvalidUtf8("\xe2(\xa1", "bad continuation byte in 3-byte sequence");
  ExpectInvalidUtf8("\xf8\x88\x80\x80\x80", "5-byte form");
}

// RFC 3629 section 3: overlong forms, UTF-16 surrogates and code points above U+10FFFF are
// not valid UTF-8. Listing XML containing them is rejected by strict XML parsers (expat,
// libxml2), so such keys would make a bucket unlistable for SDK clients.
TEST(ValidateObjectKeyTest, RejectsOverlongSurrogateAndOutOfRangeSequences) {
  ExpectInvalidUtf8("\xc0\x80", "overlong NUL (2 bytes)");
  ExpectInvalidUtf8("\xc1\xbf", "overlong U+007F");
  ExpectInvalidUtf8("\xe0\x80\xaf", "overlong '/' (3 bytes)");
  ExpectInvalidUtf8("\xf0\x80\x80\xaf", "overlong '/' (4 bytes)");
  ExpectInvalidUtf8("\xed\xa0\x80", "UTF-16 surrogate U+D800");
  ExpectInvalidUtf8("\xed\xbf\xbf", "UTF-16 surrogate U+DFFF");
  ExpectInvalidUtf8("\xf4\x90\x80\x80", "U+110000, above the Unicode range");
  ExpectInvalidUtf8("\xf5\x80\x80\x80", "lead byte 0xF5");
}

}  // namespace
}  // namespace kumo::s3
