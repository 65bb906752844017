// Additional checksums of the S3 "flexible checksums" feature: CRC32, CRC32C, CRC64NVME,
// SHA-1 and SHA-256, computed incrementally over an object's bytes and rendered as S3
// does (base64 of the big-endian digest). Not thread-safe: one Checksummer per stream;
// the free functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kumo::s3 {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

// "crc32", "CRC32C", "x-amz-checksum-sha1"... -> algorithm; nullopt if unknown.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);
// Lower-case short name, as in header names and stored metadata: "crc32", "crc32c",
// "crc64nvme", "sha1", "sha256".
std::string_view ChecksumName(ChecksumAlgorithm algorithm);
// Upper-case name, as in S3 messages, x-amz-checksum-algorithm values and XML elements
// (Checksum<UPPER>): "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256".
std::string_view ChecksumUpperName(ChecksumAlgorithm algorithm);
// Size of the raw digest in bytes: 4, 4, 8, 20, 32.
size_t ChecksumDigestSize(ChecksumAlgorithm algorithm);
// CRCs can be combined from part CRCs (FULL_OBJECT multipart checksums); hashes cannot.
bool IsCrc(ChecksumAlgorithm algorithm);

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
  uint64_t crc_ = 0;  // CRC algorithms: the finalized CRC so far (0 before any byte)
  struct HashState;
  std::unique_ptr<HashState> hash_;
};

// CRC-32C (Castagnoli) update: SSE4.2 instructions when the CPU has them, else a
// table-driven implementation from Boost.CRC.
uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t n);
namespace internal {
// The table-driven fallback of Crc32cUpdate, exposed so that tests cover it on CPUs
// with SSE4.2 too.
uint32_t Crc32cPortable(uint32_t crc, const void* data, size_t n);
}  // namespace internal

// CRC-64/NVME update (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones;
// check value of "123456789" is 0xae8b14860a799888), resuming from a finalized CRC.
uint64_t Crc64NvmeUpdate(uint64_t crc, const void* data, size_t n);

// The CRC of A||B from crc_a = CRC(A), crc_b = CRC(B) and len_b = |B|, for a CRC
// algorithm (for a hash, returns 0). Cost O(log len_b), independent of the data.
uint64_t CrcCombine(ChecksumAlgorithm algorithm, uint64_t crc_a, uint64_t crc_b, uint64_t len_b);

}  // namespace kumo::s3
