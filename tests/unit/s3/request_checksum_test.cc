#include "s3/request_checksum.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

HttpRequest Put(StringPairs headers) {
  HttpRequest r;
  r.method = "PUT";
  r.headers = std::move(headers);
  return r;
}

std::string ErrorOf(StringPairs headers) {
  auto r = ParseRequestChecksum(Put(std::move(headers)));
  if (r.ok()) return "OK";
  EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidRequest));
  return r.status().message();
}

TEST(ParseRequestChecksumTest, NoneWithoutChecksumHeaders) {
  auto r = ParseRequestChecksum(Put({{"content-md5", "x"},
                                     {"x-amz-checksum-mode", "ENABLED"},
                                     {"x-amz-checksum-type", "FULL_OBJECT"},
                                     {"x-amz-checksum-algorithm", "CRC32"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(ParseRequestChecksumTest, HeaderAndTrailer) {
  auto h = ParseRequestChecksum(Put({{"x-amz-checksum-crc64nvme", "rosUhgp5mIg="},
                                     {"x-amz-sdk-checksum-algorithm", "CRC64NVME"}}));
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ((*h)->algorithm, ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ((*h)->value, "rosUhgp5mIg=");
  EXPECT_FALSE((*h)->trailer);
  auto t = ParseRequestChecksum(Put(
      {{"x-amz-trailer", "x-amz-checksum-crc32c"}, {"x-amz-sdk-checksum-algorithm", "crc32c"}}));
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->algorithm, ChecksumAlgorithm::kCrc32c);
  EXPECT_TRUE((*t)->trailer);
  EXPECT_TRUE((*t)->value.empty());
}

TEST(ParseRequestChecksumTest, RejectsWithS3Messages) {
  EXPECT_EQ(ErrorOf({{"x-amz-sdk-checksum-algorithm", "CRC32"}}),
            "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or "
            "x-amz-trailer headers were found.");
  EXPECT_EQ(
      ErrorOf({{"x-amz-checksum-crc32", "DUoRhQ=="}, {"x-amz-sdk-checksum-algorithm", "SHA1"}}),
      "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  EXPECT_EQ(
      ErrorOf({{"x-amz-checksum-crc32", "DUoRhQ=="}, {"x-amz-sdk-checksum-algorithm", "MD4"}}),
      "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  EXPECT_EQ(ErrorOf({{"x-amz-checksum-crc32", "DUoRhQ=="}, {"x-amz-checksum-sha1", "x"}}),
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  EXPECT_EQ(
      ErrorOf({{"x-amz-checksum-crc32", "DUoRhQ=="}, {"x-amz-trailer", "x-amz-checksum-crc32"}}),
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  EXPECT_EQ(ErrorOf({{"x-amz-checksum-crc32", "AAAAAAAAAAA="}}),
            "Value for x-amz-checksum-crc32 header is invalid.");
  EXPECT_EQ(ErrorOf({{"x-amz-checksum-crc32", "not base64"}}),
            "Value for x-amz-checksum-crc32 header is invalid.");
  EXPECT_EQ(ErrorOf({{"x-amz-checksum-md5", "AAAAAA=="}}),
            "The algorithm type you specified in x-amz-checksum- header is invalid.");
  EXPECT_EQ(ErrorOf({{"x-amz-trailer", "x-amz-checksum-md5"}}),
            "The value specified in the x-amz-trailer header is not supported");
  EXPECT_EQ(ErrorOf({{"x-amz-trailer", "crc32"}}),
            "The value specified in the x-amz-trailer header is not supported");
}

TEST(ChecksumHeadersDescribeBodyTest, NotForCompleteMultipartUpload) {
  HttpRequest post = Put({});
  post.method = "POST";
  EXPECT_FALSE(ChecksumHeadersDescribeBody(post, true));
  EXPECT_TRUE(ChecksumHeadersDescribeBody(post, false));    // DeleteObjects
  EXPECT_TRUE(ChecksumHeadersDescribeBody(Put({}), true));  // UploadPart
}

}  // namespace
}  // namespace kumo::s3
