#include "storage/meta_codec.h"

#include <gtest/gtest.h>

#include "storage/coding.h"

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

TEST(MetaCodecTest, TagsRoundTripWithAndWithoutExtents) {
  ObjectMeta m;
  m.etag = "abc";
  m.extents = {{1, 2, 3, true}};
  m.tags = {{"project", "kumo"}, {"empty", ""}};
  ObjectMeta d;
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &d));
  EXPECT_EQ(d.tags, m.tags);
  EXPECT_EQ(d.extents.size(), 1u);
  ObjectMeta listed;
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &listed, /*with_extents=*/false));
  EXPECT_EQ(listed.tags, m.tags);
  EXPECT_TRUE(listed.extents.empty());
  // Without tags the record is exactly what the format was before tags existed.
  m.tags.clear();
  std::string untagged = EncodeObjectMeta(m);
  m.tags = {{"a", "b"}};
  EXPECT_EQ(EncodeObjectMeta(m).substr(0, untagged.size()), untagged);
  // A tagged record cut anywhere inside its tags does not decode.
  std::string tagged = EncodeObjectMeta(m);
  for (size_t n = untagged.size() + 1; n < tagged.size(); ++n) {
    EXPECT_FALSE(DecodeObjectMeta(tagged.substr(0, n), &d)) << n;
  }
}

TEST(MetaCodecTest, AclRoundTripsWithAndWithoutTags) {
  ObjectMeta m;
  m.etag = "abc";
  m.acl = "Oalice\nU4alice\n";
  ObjectMeta d;
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &d));
  EXPECT_EQ(d.acl, m.acl);
  EXPECT_TRUE(d.tags.empty());
  m.tags = {{"a", "b"}};
  ASSERT_TRUE(DecodeObjectMeta(EncodeObjectMeta(m), &d));
  EXPECT_EQ(d.acl, m.acl);
  EXPECT_EQ(d.tags, m.tags);
  // Without an ACL nothing is appended: the record is the tagged format as before.
  std::string with_acl = EncodeObjectMeta(m);
  m.acl.clear();
  std::string without = EncodeObjectMeta(m);
  EXPECT_EQ(with_acl.substr(0, without.size()), without);
  ASSERT_TRUE(DecodeObjectMeta(without, &d));
  EXPECT_EQ(d.acl, "");
}

// A record as written before tags were added (format version 1, fields up to the extent
// list), built byte by byte: it still decodes, with no tags.
TEST(MetaCodecTest, RecordWrittenBeforeTagsDecodesWithoutTags) {
  std::string old;
  PutVarint64(&old, 1);                   // format version
  PutVarint64(&old, 5);                   // size
  PutLengthPrefixed(&old, "etag5");       // etag
  PutVarint64(&old, 2000);                // mtime 1000 ms, zig-zag
  PutLengthPrefixed(&old, "text/plain");  // content type
  PutVarint64(&old, 0);                   // system headers
  PutVarint64(&old, 1);                   // user metadata
  PutLengthPrefixed(&old, "k");
  PutLengthPrefixed(&old, "v");
  PutVarint64(&old, 0);              // checksums
  PutLengthPrefixed(&old, "owner");  // owner
  PutVarint64(&old, 1);              // extents
  PutVarint64(&old, 7);
  PutVarint64(&old, 8);
  PutVarint64(&old, 5);
  old.push_back(1);
  ObjectMeta d;
  d.tags = {{"stale", "x"}};  // overwritten by the decoder
  ASSERT_TRUE(DecodeObjectMeta(old, &d));
  EXPECT_EQ(d.size, 5u);
  EXPECT_EQ(d.etag, "etag5");
  EXPECT_EQ(d.mtime_ms, 1000);
  EXPECT_EQ(d.user_meta, (std::vector<std::pair<std::string, std::string>>{{"k", "v"}}));
  EXPECT_EQ(d.owner, "owner");
  ASSERT_EQ(d.extents.size(), 1u);
  EXPECT_EQ(d.extents[0].file_id, 7u);
  EXPECT_TRUE(d.extents[0].packed);
  EXPECT_TRUE(d.tags.empty());
  ObjectMeta listed;
  ASSERT_TRUE(DecodeObjectMeta(old, &listed, /*with_extents=*/false));
  EXPECT_TRUE(listed.tags.empty());
  EXPECT_EQ(listed.owner, "owner");
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
  UserRecord u{"AK", "SK", 7, ""};
  UserRecord ud;
  ASSERT_TRUE(DecodeUserRecord(EncodeUserRecord(u), &ud));
  EXPECT_EQ(ud.secret_key, "SK");
  EXPECT_EQ(ud.policy, "");
  // A policy is an appended field: records without one decode unchanged.
  u.policy = R"({"Statement":[]})";
  ASSERT_TRUE(DecodeUserRecord(EncodeUserRecord(u), &ud));
  EXPECT_EQ(ud.policy, u.policy);
  EXPECT_EQ(ud.created_ms, 7);
  EXPECT_EQ(DecodeCounters(EncodeCounters({-1, 5})), (std::vector<int64_t>{-1, 5}));
}

}  // namespace
}  // namespace kumo::storage
