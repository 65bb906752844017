#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace kumo::storage {
namespace {

TEST(KeyCodecTest, KeysOrderAsUnsignedBytesWithinBucket) {
  std::vector<std::string> keys = {"",  "\x01", "a",    "a\x01",    "a/b",  "aa",
                                   "b", "\x7f", "\x80", "\xc3\xa9", "\xff", "\xff\xff"};
  std::vector<std::string> encoded;
  for (const auto& k : keys) encoded.push_back(EncodeObjectKey("bkt", k));
  std::vector<std::string> sorted_keys = keys;
  std::sort(sorted_keys.begin(), sorted_keys.end(), [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    });
  });
  std::sort(encoded.begin(), encoded.end());  // std::string compares bytes as unsigned
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string bucket, key;
    ASSERT_TRUE(DecodeObjectKey(encoded[i], &bucket, &key));
    EXPECT_EQ(bucket, "bkt");
    EXPECT_EQ(key, sorted_keys[i]) << i;
  }
}

TEST(KeyCodecTest, BucketsNeverMix) {
  // Every key of "a", however large its bytes, sorts before every key of "ab" and "a\x01".
  const std::string a_max = EncodeObjectKey("a", std::string(8, '\xff'));
  EXPECT_LT(a_max, EncodeObjectKey("ab", ""));
  EXPECT_LT(a_max, EncodeObjectKey("a\x01", ""));
  EXPECT_LT(a_max, PrefixSuccessor(BucketPrefix("a")));
  EXPECT_LE(PrefixSuccessor(BucketPrefix("a")), EncodeObjectKey("a\x01", ""));
  EXPECT_LT(EncodeObjectKey("a", "zzz"), EncodeObjectKey("b", ""));
  // Keys of "ab" do not start with the prefix of "a".
  EXPECT_NE(EncodeObjectKey("ab", "x").rfind(BucketPrefix("a"), 0), 0u);
  // A key that looks like a bucket separator stays inside its bucket.
  const std::string tricky = EncodeObjectKey("a", std::string("\0\x01x", 3));
  std::string bucket, key;
  ASSERT_TRUE(DecodeObjectKey(tricky, &bucket, &key));
  EXPECT_EQ(bucket, "a");
  EXPECT_EQ(key, std::string("\0\x01x", 3));
}

TEST(KeyCodecTest, BucketNamesWithNulAreEscaped) {
  std::string weird("a\0b", 3);
  std::string bucket, key;
  ASSERT_TRUE(DecodeObjectKey(EncodeObjectKey(weird, "k"), &bucket, &key));
  EXPECT_EQ(bucket, weird);
  EXPECT_EQ(key, "k");
  EXPECT_LT(EncodeObjectKey("a", "\xff"), EncodeObjectKey(weird, ""));
  EXPECT_FALSE(DecodeObjectKey("no-separator", &bucket, &key));
}

TEST(KeyCodecTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff\xff")), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff")), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(KeyCodecTest, FileIdsOrderNumerically) {
  EXPECT_LT(EncodeFileId(255), EncodeFileId(256));
  EXPECT_LT(EncodeFileId(1), EncodeFileId(1ull << 40));
  uint64_t id = 0;
  ASSERT_TRUE(DecodeFileId(EncodeFileId(0x0123456789abcdefull), &id));
  EXPECT_EQ(id, 0x0123456789abcdefull);
  EXPECT_FALSE(DecodeFileId("short", &id));
}

}  // namespace
}  // namespace kumo::storage
