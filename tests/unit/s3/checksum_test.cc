#include "s3/checksum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/hash.h"

namespace kumo::s3 {
namespace {

std::string OneShot(ChecksumAlgorithm a, std::string_view data) {
  Checksummer c(a);
  c.Update(data);
  return c.FinishBase64();
}

// Bitwise reference CRC-32C (reflected polynomial 0x82F63B78), independent of both the
// SSE4.2 and the table-driven implementation.
uint32_t ReferenceCrc32c(std::string_view data) {
  uint32_t crc = 0xFFFFFFFF;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78 & (0u - (crc & 1)));
  }
  return ~crc;
}

// Bitwise reference CRC-32 (reflected polynomial 0xEDB88320).
uint32_t Crc32Reference(std::string_view data) {
  uint32_t crc = 0xFFFFFFFF;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
  }
  return ~crc;
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

constexpr ChecksumAlgorithm kAll[] = {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c,
                                      ChecksumAlgorithm::kCrc64Nvme, ChecksumAlgorithm::kSha1,
                                      ChecksumAlgorithm::kSha256};

// Bitwise reference CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5).
uint64_t ReferenceCrc64Nvme(std::string_view data) {
  uint64_t crc = ~0ull;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x9A6C9329AC4BC9B5ull & (0ull - (crc & 1)));
  }
  return ~crc;
}

TEST(ChecksummerTest, KnownDigestsOfHelloWorld) {
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32, "hello world"), "DUoRhQ==");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32c, "hello world"), "yZRlqg==");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kSha1, "hello world"), "Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kSha256, "hello world"),
            "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
}

TEST(ChecksummerTest, KnownDigestsOfEmptyInput) {
  for (auto a : kAll) {
    Checksummer never_updated(a);
    EXPECT_EQ(never_updated.FinishBase64(), OneShot(a, "")) << ChecksumName(a);
  }
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32, ""), "AAAAAA==");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32c, ""), "AAAAAA==");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc64Nvme, ""), "AAAAAAAAAAA=");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kSha1, ""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kSha256, ""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST(ChecksummerTest, DigestsAreBigEndian) {
  // CRC-32C("123456789") = 0xE3069283 (the standard check value) -> bytes E3 06 92 83.
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32c, "123456789"), "4waSgw==");
  // CRC-32("123456789") = 0xCBF43926 -> bytes CB F4 39 26.
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc32, "123456789"), "y/Q5Jg==");
  // CRC-64/NVME("123456789") = 0xAE8B14860A799888 (the catalogued check value).
  EXPECT_EQ(OneShot(ChecksumAlgorithm::kCrc64Nvme, "123456789"), "rosUhgp5mIg=");
}

TEST(ChecksummerTest, SplitAtEveryPositionEqualsOneShot) {
  const std::string data = "hello world, the quick brown fox jumps over the lazy dog 0123456789";
  for (auto a : kAll) {
    const std::string expected = OneShot(a, data);
    for (size_t split = 0; split <= data.size(); ++split) {
      Checksummer c(a);
      c.Update(std::string_view(data).substr(0, split));
      c.Update(std::string_view(data).substr(split));
      EXPECT_EQ(c.FinishBase64(), expected) << ChecksumName(a) << " split at " << split;
    }
  }
}

TEST(ChecksummerTest, ManySmallUpdatesEqualOneShot) {
  const std::string data = RandomBytes(4099, 7);
  for (auto a : kAll) {
    Checksummer c(a);
    size_t pos = 0;
    for (size_t step = 1; pos < data.size(); step = step % 37 + 2) {
      std::string_view piece = std::string_view(data).substr(pos, step);
      c.Update(piece);
      c.Update("");  // empty updates change nothing
      pos += piece.size();
    }
    EXPECT_EQ(c.FinishBase64(), OneShot(a, data)) << ChecksumName(a);
  }
}

TEST(ChecksummerTest, DifferentInputsDiffer) {
  for (auto a : kAll) {
    EXPECT_NE(OneShot(a, "hello world"), OneShot(a, "hello worle")) << ChecksumName(a);
  }
  EXPECT_EQ(Checksummer(ChecksumAlgorithm::kSha256).algorithm(), ChecksumAlgorithm::kSha256);
}

TEST(Crc32cUpdateTest, MatchesBitwiseReference) {
  EXPECT_EQ(Crc32cUpdate(0, "", 0), 0u);
  EXPECT_EQ(Crc32cUpdate(0, "123456789", 9), 0xE3069283u);
  EXPECT_EQ(Crc32cUpdate(0, "hello world", 11), 0xC99465AAu);
  // Lengths around the 8-byte stride of the SSE4.2 loop and its byte-wise tail.
  for (size_t n = 0; n <= 70; ++n) {
    std::string data = RandomBytes(n, static_cast<uint32_t>(n));
    EXPECT_EQ(Crc32cUpdate(0, data.data(), n), ReferenceCrc32c(data)) << n;
  }
}

TEST(Crc32cUpdateTest, OddSizedChunksEqualOneShot) {
  // Odd chunk sizes leave every misalignment of the input for the 8-byte loads and
  // resume from a finalized CRC with a partial tail pending.
  const std::string data = RandomBytes(10007, 42);
  const uint32_t expected = ReferenceCrc32c(data);
  ASSERT_EQ(Crc32cUpdate(0, data.data(), data.size()), expected);
  for (size_t chunk : {1, 3, 5, 7, 9, 11, 13, 15, 17, 63, 65, 127, 1023}) {
    uint32_t crc = 0;
    for (size_t pos = 0; pos < data.size(); pos += chunk) {
      size_t n = std::min(chunk, data.size() - pos);
      crc = Crc32cUpdate(crc, data.data() + pos, n);
    }
    EXPECT_EQ(crc, expected) << "chunk " << chunk;
  }
  // Irregular chunk sizes from an unaligned start.
  uint32_t crc = 0;
  size_t pos = 0;
  for (size_t n = 1; pos < data.size(); n = (n * 7 + 3) % 29 + 1) {
    size_t take = std::min(n, data.size() - pos);
    crc = Crc32cUpdate(crc, data.data() + pos, take);
    pos += take;
  }
  EXPECT_EQ(crc, expected);
}

TEST(Crc32cUpdateTest, PortableFallbackMatchesReferenceWhenResumed) {
  // The table-driven fallback is what CPUs without SSE4.2 run; resuming from a
  // finalized CRC must give the one-shot value.
  const std::string data = RandomBytes(1000, 9);
  const uint32_t expected = ReferenceCrc32c(data);
  EXPECT_EQ(internal::Crc32cPortable(0, data.data(), data.size()), expected);
  for (size_t chunk : {1, 7, 64, 333}) {
    uint32_t crc = 0;
    for (size_t pos = 0; pos < data.size(); pos += chunk) {
      crc = internal::Crc32cPortable(crc, data.data() + pos, std::min(chunk, data.size() - pos));
    }
    EXPECT_EQ(crc, expected) << "chunk " << chunk;
  }
}

TEST(Crc64NvmeUpdateTest, MatchesBitwiseReferenceAndResumes) {
  EXPECT_EQ(Crc64NvmeUpdate(0, "", 0), 0u);
  EXPECT_EQ(Crc64NvmeUpdate(0, "123456789", 9), 0xAE8B14860A799888ull);
  for (size_t n = 0; n <= 40; ++n) {
    std::string data = RandomBytes(n, static_cast<uint32_t>(n) + 100);
    EXPECT_EQ(Crc64NvmeUpdate(0, data.data(), n), ReferenceCrc64Nvme(data)) << n;
  }
  const std::string data = RandomBytes(5003, 11);
  uint64_t crc = 0;
  for (size_t pos = 0; pos < data.size(); pos += 17) {
    crc = Crc64NvmeUpdate(crc, data.data() + pos, std::min<size_t>(17, data.size() - pos));
  }
  EXPECT_EQ(crc, ReferenceCrc64Nvme(data));
}

uint64_t CrcOf(ChecksumAlgorithm a, std::string_view data) {
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return Crc32Reference(data);
    case ChecksumAlgorithm::kCrc32c:
      return ReferenceCrc32c(data);
    default:
      return ReferenceCrc64Nvme(data);
  }
}

TEST(CrcCombineTest, CombinedPartsEqualTheWholeCrc) {
  const std::string data = RandomBytes(70000, 5);
  for (auto a :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    for (size_t split :
         {size_t{0}, size_t{1}, size_t{8}, size_t{4097}, size_t{65536}, data.size()}) {
      std::string_view head = std::string_view(data).substr(0, split);
      std::string_view tail = std::string_view(data).substr(split);
      EXPECT_EQ(CrcCombine(a, CrcOf(a, head), CrcOf(a, tail), tail.size()), CrcOf(a, data))
          << ChecksumName(a) << " split " << split;
    }
  }
  EXPECT_EQ(CrcCombine(ChecksumAlgorithm::kSha256, 1, 2, 3), 0u);
}

TEST(ParseChecksumAlgorithmTest, AcceptsShortAndHeaderNamesInAnyCase) {
  EXPECT_EQ(ParseChecksumAlgorithm("crc32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ParseChecksumAlgorithm("CRC32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ParseChecksumAlgorithm("CRC32C"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ParseChecksumAlgorithm("crc32c"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ParseChecksumAlgorithm("SHA1"), ChecksumAlgorithm::kSha1);
  EXPECT_EQ(ParseChecksumAlgorithm("Sha256"), ChecksumAlgorithm::kSha256);
  EXPECT_EQ(ParseChecksumAlgorithm("x-amz-checksum-sha1"), ChecksumAlgorithm::kSha1);
  EXPECT_EQ(ParseChecksumAlgorithm("X-Amz-Checksum-CRC32C"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ParseChecksumAlgorithm("x-amz-checksum-crc32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ParseChecksumAlgorithm("CRC64NVME"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(ParseChecksumAlgorithm("x-amz-checksum-crc64nvme"), ChecksumAlgorithm::kCrc64Nvme);
}

TEST(ParseChecksumAlgorithmTest, RejectsUnknownNames) {
  for (std::string_view name :
       {"", "md5", "sha512", "crc", "crc32cc", "sha-256", " crc32", "x-amz-checksum-",
        "x-amz-checksum-md5", "checksum-crc32", "x-amz-checksum-x-amz-checksum-crc32"}) {
    EXPECT_EQ(ParseChecksumAlgorithm(name), std::nullopt) << "'" << name << "'";
  }
}

TEST(ParseChecksumAlgorithmTest, RoundTripsChecksumName) {
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kCrc32), "crc32");
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kCrc32c), "crc32c");
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kSha1), "sha1");
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kSha256), "sha256");
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kCrc64Nvme), "crc64nvme");
  EXPECT_EQ(ChecksumUpperName(ChecksumAlgorithm::kCrc64Nvme), "CRC64NVME");
  EXPECT_EQ(ChecksumUpperName(ChecksumAlgorithm::kCrc32c), "CRC32C");
  for (auto a : kAll) {
    EXPECT_EQ(ParseChecksumAlgorithm(ChecksumName(a)), a);
    EXPECT_EQ(ParseChecksumAlgorithm(ChecksumUpperName(a)), a);
    Checksummer c(a);
    std::string raw;
    ASSERT_TRUE(Base64Decode(c.FinishBase64(), &raw));
    EXPECT_EQ(raw.size(), ChecksumDigestSize(a)) << ChecksumName(a);
  }
}

}  // namespace
}  // namespace kumo::s3
