// Additional checksums of the S3 "flexible checksums" feature: CRC32, CRC32C, SHA-1 and
// SHA-256, computed incrementally over an object's bytes and rendered as S3 does (base64
// of the big-endian digest). Not thread-safe: one per stream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kumo::s3 {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kSha1, kSha256 };

// "crc32", "CRC32C", "x-amz-checksum-sha1"... -> algorithm; nullopt if unknown.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);
// Lower-case short name: "crc32", "crc32c", "sha1", "sha256".
std::string_view ChecksumName(ChecksumAlgorithm algorithm);

class Checksummer {
 public:
  explicit Checksummer(ChecksumAlgorithm algorithm);
  ~Checksummer();
  void Update(std::string_view data);
  // Base64 of the digest, as in the x-amz-checksum-* headers.
  std::string FinishBase64();
  ChecksumAlgorithm algorithm() const { return algorithm_; }

 private:
  ChecksumAlgorithm algorithm_;
  uint32_t crc_ = 0;
  struct HashState;
  std::unique_ptr<HashState> hash_;
};

// CRC-32C (Castagnoli) update: SSE4.2 instructions when the CPU has them, else a
// table-driven implementation from Boost.CRC.
uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t n);

}  // namespace kumo::s3
