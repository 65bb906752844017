#include "s3/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <cctype>
#include <cstring>

#include "common/hash.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace kumo::s3 {

namespace {

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t Crc32cHardware(uint32_t crc, const char* p, size_t n) {
  uint64_t c = ~crc;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n-- > 0) c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*p++));
  return ~c32;
}
bool HasSse42() { return __builtin_cpu_supports("sse4.2"); }
#endif

uint32_t Crc32cSoftware(uint32_t crc, const char* p, size_t n) {
  // Reflected CRC-32C; Boost.CRC resumes from the previous (finalized) value.
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> engine(crc ^ 0xFFFFFFFF);
  engine.process_bytes(p, n);
  return engine.checksum();
}

std::string BigEndian32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  return out;
}

}  // namespace

uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
#if defined(__x86_64__)
  static const bool hardware = HasSse42();
  if (hardware) return Crc32cHardware(crc, p, n);
#endif
  return Crc32cSoftware(crc, p, n);
}

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  constexpr std::string_view kPrefix = "x-amz-checksum-";
  if (n.rfind(kPrefix, 0) == 0) n.erase(0, kPrefix.size());
  if (n == "crc32") return ChecksumAlgorithm::kCrc32;
  if (n == "crc32c") return ChecksumAlgorithm::kCrc32c;
  if (n == "sha1") return ChecksumAlgorithm::kSha1;
  if (n == "sha256") return ChecksumAlgorithm::kSha256;
  return std::nullopt;
}

std::string_view ChecksumName(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "crc32";
    case ChecksumAlgorithm::kCrc32c:
      return "crc32c";
    case ChecksumAlgorithm::kSha1:
      return "sha1";
    case ChecksumAlgorithm::kSha256:
      return "sha256";
  }
  return "";
}

struct Checksummer::HashState {
  explicit HashState(Hasher::Algorithm a) : hasher(a) {}
  Hasher hasher;
};

Checksummer::Checksummer(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (algorithm == ChecksumAlgorithm::kSha1) {
    hash_ = std::make_unique<HashState>(Hasher::Algorithm::kSha1);
  } else if (algorithm == ChecksumAlgorithm::kSha256) {
    hash_ = std::make_unique<HashState>(Hasher::Algorithm::kSha256);
  }
}

Checksummer::~Checksummer() = default;

void Checksummer::Update(std::string_view data) {
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
      crc_ = static_cast<uint32_t>(
          crc32_z(crc_, reinterpret_cast<const Bytef*>(data.data()), data.size()));
      break;
    case ChecksumAlgorithm::kCrc32c:
      crc_ = Crc32cUpdate(crc_, data.data(), data.size());
      break;
    default:
      hash_->hasher.Update(data);
  }
}

std::string Checksummer::FinishBase64() {
  if (hash_) return Base64Encode(hash_->hasher.Finish());
  return Base64Encode(BigEndian32(crc_));
}

}  // namespace kumo::s3
