#include "storage/meta_codec.h"

#include <gtest/gtest.h>

namespace kumo::storage {
namespace {

TEST(MetaCodecTest, ObjectMetaRoundTrips) {
  ObjectMeta m;
  m.size = 1234567890123ull;
  m.etag = "d41d8cd98f00b204e9800998ecf8427e-3";
  m.mtime_ms = -5;
  m.content_type = "text/plain";
  m.system_headers = {{"cache-control", "no-cache"}};
  m.user_meta = {{"a", ""}, {"b", std::string("\0\xff", 2)}};
  m.checksums = {{"crc32", "AAAAAA=="}};
  m.owner = "AKIA";
  m.extents = {{7, 16, 100, true}, {9, 0, 1ull << 40, false}};
  ObjectMeta d;
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &d));
  EXPECT_EQ(d.size, m.size);
  EXPECT_EQ(d.etag, m.etag);
  EXPECT_EQ(d.mtime_ms, m.mtime_ms);
  EXPECT_EQ(d.content_type, m.content_type);
  EXPECT_EQ(d.system_headers, m.system_headers);
  EXPECT_EQ(d.user_meta, m.user_meta);
  EXPECT_EQ(d.checksums, m.checksums);
  EXPECT_EQ(d.owner, m.owner);
  ASSERT_EQ(d.extents.size(), 2u);
  EXPECT_EQ(d.extents[1].length, 1ull << 40);
  EXPECT_TRUE(d.extents[0].packed);
  EXPECT_FALSE(d.extents[1].packed);

  ObjectMeta no_extents;
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &no_extents, false));
  EXPECT_TRUE(no_extents.extents.empty());
  EXPECT_EQ(no_extents.owner, "AKIA");
}

TEST(MetaCodecTest, RejectsTruncatedInput) {
  ObjectMeta m;
  m.etag = "abc";
  m.extents = {{1, 2, 3, true}};
  std::string enc = EncodeObjectMeta(m);
  ObjectMeta d;
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeObjectMeta(enc.substr(0, n), &d)) << n;
  }
}

TEST(MetaCodecTest, BucketUserAndCounters) {
  BucketInfo b{"bkt", 42, "me", "us-east-1"};
  BucketInfo bd;
  ASSERT_TRUE(DecodeBucketInfo(EncodeBucketInfo(b), &bd));
  EXPECT_EQ(bd.name, "bkt");
  EXPECT_EQ(bd.created_ms, 42);
  EXPECT_EQ(bd.region, "us-east-1");
  UserRecord u{"AK", "SK", 7};
  UserRecord ud;
  ASSERT_TRUE(DecodeUserRecord(EncodeUserRecord(u), &ud));
  EXPECT_EQ(ud.secret_key, "SK");
  EXPECT_EQ(DecodeCounters(EncodeCounters({-1, 5})), (std::vector<int64_t>{-1, 5}));
}

}  // namespace
}  // namespace kumo::storage
