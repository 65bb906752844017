#include "s3/multipart_checksum.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kumo::s3 {
namespace {

HttpRequest WithHeaders(StringPairs headers) {
  HttpRequest r;
  r.method = "POST";
  r.headers = std::move(headers);
  return r;
}

std::string Sum(ChecksumAlgorithm a, std::string_view data) {
  Checksummer c(a);
  c.Update(data);
  return c.FinishBase64();
}

TEST(ObjectChecksumTest, CompositeIsTheHashOfRawPartDigestsWithPartCount) {
  // Expected values computed independently (Python zlib/hashlib).
  std::vector<PartChecksum> crc = {{"7YH59g==", 6}, {"OncRQw==", 5}};
  EXPECT_EQ(ObjectChecksum({ChecksumAlgorithm::kCrc32, ChecksumType::kComposite}, crc).value(),
            "1Fu2mQ==-2");
  std::vector<PartChecksum> sha = {{"XjI1qDRuWkWF+MWFYvUFK4/iajuxIuHpbHZ4SWTfxGE=", 6},
                                   {"SG6kYiTRu0+2gPNPfJrZao8k7Ii+c+qOWmxlJg6cuKc=", 5}};
  EXPECT_EQ(ObjectChecksum({ChecksumAlgorithm::kSha256, ChecksumType::kComposite}, sha).value(),
            "Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2");
}

TEST(ObjectChecksumTest, FullObjectCombinesPartCrcsIntoTheWholeObjectCrc) {
  const std::string data = "the quick brown fox jumps over the lazy dog, 0123456789 times";
  for (auto a :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    std::vector<PartChecksum> parts;
    for (size_t pos = 0; pos < data.size(); pos += 13) {
      std::string_view part = std::string_view(data).substr(pos, 13);
      parts.push_back({Sum(a, part), part.size()});
    }
    auto combined = ObjectChecksum({a, ChecksumType::kFullObject}, parts);
    ASSERT_TRUE(combined.ok());
    EXPECT_EQ(*combined, Sum(a, data)) << ChecksumName(a);
    EXPECT_EQ(StoredChecksumType(*combined), ChecksumType::kFullObject);
  }
}

TEST(ObjectChecksumTest, RejectsPartValuesOfTheWrongSize) {
  std::vector<PartChecksum> parts = {{"AAAAAAAAAAA=", 1}};  // 8 bytes: not a CRC32
  auto r = ObjectChecksum({ChecksumAlgorithm::kCrc32, ChecksumType::kComposite}, parts);
  EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidPart));
}

TEST(StoredChecksumTypeTest, DashNumberSuffixMeansComposite) {
  EXPECT_EQ(StoredChecksumType("1Fu2mQ==-2"), ChecksumType::kComposite);
  EXPECT_EQ(StoredChecksumType("1Fu2mQ==-10000"), ChecksumType::kComposite);
  EXPECT_EQ(StoredChecksumType("DUoRhQ=="), ChecksumType::kFullObject);
  EXPECT_EQ(StoredChecksumType("DUoRhQ==-"), ChecksumType::kFullObject);
  EXPECT_EQ(ChecksumTypeName(ChecksumType::kComposite), "COMPOSITE");
  EXPECT_EQ(ChecksumTypeName(ChecksumType::kFullObject), "FULL_OBJECT");
  EXPECT_EQ(ChecksumElementName(ChecksumAlgorithm::kCrc32c), "ChecksumCRC32C");
}

TEST(ParseUploadChecksumTest, DefaultsAndAllowedCombinations) {
  EXPECT_FALSE(ParseUploadChecksum(WithHeaders({})).value().has_value());
  auto crc = ParseUploadChecksum(WithHeaders({{"x-amz-checksum-algorithm", "CRC32"}})).value();
  ASSERT_TRUE(crc);
  EXPECT_EQ(crc->algorithm, ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(crc->type, ChecksumType::kComposite);
  auto nvme = ParseUploadChecksum(WithHeaders({{"x-amz-checksum-algorithm", "CRC64NVME"}})).value();
  ASSERT_TRUE(nvme);
  EXPECT_EQ(nvme->type, ChecksumType::kFullObject);
  auto full = ParseUploadChecksum(WithHeaders({{"x-amz-checksum-algorithm", "crc32c"},
                                               {"x-amz-checksum-type", "FULL_OBJECT"}}))
                  .value();
  ASSERT_TRUE(full);
  EXPECT_EQ(full->type, ChecksumType::kFullObject);
}

TEST(ParseUploadChecksumTest, RejectsWhatS3Rejects) {
  for (StringPairs headers : std::vector<StringPairs>{
           {{"x-amz-checksum-type", "COMPOSITE"}},
           {{"x-amz-checksum-algorithm", "MD5"}},
           {{"x-amz-checksum-algorithm", "SHA256"}, {"x-amz-checksum-type", "FULL_OBJECT"}},
           {{"x-amz-checksum-algorithm", "CRC64NVME"}, {"x-amz-checksum-type", "COMPOSITE"}},
           {{"x-amz-checksum-algorithm", "CRC32"}, {"x-amz-checksum-type", "PARTIAL"}}}) {
    auto r = ParseUploadChecksum(WithHeaders(headers));
    EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidRequest)) << headers.size();
  }
  auto r = ParseUploadChecksum(WithHeaders(
      {{"x-amz-checksum-algorithm", "SHA256"}, {"x-amz-checksum-type", "FULL_OBJECT"}}));
  EXPECT_EQ(r.status().message(),
            "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.");
}

TEST(UploadChecksumRecordTest, RoundTripsAndReadsOlderRecords) {
  storage::ObjectMeta meta;
  EXPECT_FALSE(DecodeUploadChecksum(meta));
  meta.checksums = {EncodeUploadChecksum({ChecksumAlgorithm::kCrc32c, ChecksumType::kFullObject})};
  EXPECT_EQ(meta.checksums[0], std::make_pair(std::string("crc32c"), std::string("FULL_OBJECT")));
  auto d = DecodeUploadChecksum(meta);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->algorithm, ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(d->type, ChecksumType::kFullObject);
  meta.checksums = {{"SHA1", ""}};  // as recorded before checksum types existed
  d = DecodeUploadChecksum(meta);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->algorithm, ChecksumAlgorithm::kSha1);
  EXPECT_EQ(d->type, ChecksumType::kComposite);
}

TEST(CheckPartChecksumTest, CompositeNeedsTheSameAlgorithmFullObjectAcceptsNone) {
  const UploadChecksum composite{ChecksumAlgorithm::kCrc32, ChecksumType::kComposite};
  const UploadChecksum full{ChecksumAlgorithm::kCrc32, ChecksumType::kFullObject};
  const RequestChecksum crc32{ChecksumAlgorithm::kCrc32, "DUoRhQ==", false};
  const RequestChecksum sha1{ChecksumAlgorithm::kSha1, "", true};
  EXPECT_TRUE(CheckPartChecksum(composite, crc32).ok());
  EXPECT_TRUE(CheckPartChecksum(full, crc32).ok());
  EXPECT_TRUE(CheckPartChecksum(full, std::nullopt).ok());
  EXPECT_TRUE(CheckPartChecksum(std::nullopt, sha1).ok());
  EXPECT_TRUE(CheckPartChecksum(std::nullopt, std::nullopt).ok());
  Status missing = CheckPartChecksum(composite, std::nullopt);
  EXPECT_TRUE(missing.Is(ErrorCode::kInvalidRequest));
  EXPECT_EQ(missing.message(),
            "Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum "
            "Type: null");
  Status other = CheckPartChecksum(full, sha1);
  EXPECT_EQ(other.message(),
            "Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum "
            "Type: sha1");
}

}  // namespace
}  // namespace kumo::s3
