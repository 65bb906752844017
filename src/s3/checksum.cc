#include "s3/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <array>
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

// Boost.CRC takes the initial remainder of a reflected CRC in unreflected bit order, so
// resuming from a finalized CRC needs reflect(crc ^ xorout).
template <typename T>
T Reflect(T v) {
  T r = 0;
  for (size_t i = 0; i < sizeof(T) * 8; ++i, v >>= 1) r = static_cast<T>((r << 1) | (v & 1));
  return r;
}

std::string BigEndian(uint64_t v, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i)
    out[i] = static_cast<char>((v >> (8 * (bytes - 1 - i))) & 0xff);
  return out;
}

// CRC combination in GF(2) as zlib's crc32_combine does it (multmodp/x2nmodp),
// generalized to any reflected CRC of width <= 64. Polynomials are kept reflected:
// bit (width-1) holds x^0.
class CrcField {
 public:
  CrcField(int width, uint64_t reflected_poly)
      : top_(uint64_t{1} << (width - 1)), poly_(reflected_poly) {
    x2n_[0] = top_ >> 1;  // x^1
    for (size_t k = 1; k < x2n_.size(); ++k) x2n_[k] = MultModP(x2n_[k - 1], x2n_[k - 1]);
  }

  // crc(A||B) = crc(A) * x^(8|B|) + crc(B), for CRCs whose init equals their xorout.
  uint64_t Combine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b) const {
    uint64_t p = top_;  // x^0
    for (size_t k = 3; len_b != 0; len_b >>= 1, ++k) {
      if (len_b & 1) p = MultModP(x2n_[k], p);
    }
    return MultModP(p, crc_a) ^ crc_b;
  }

 private:
  uint64_t MultModP(uint64_t a, uint64_t b) const {
    uint64_t p = 0;
    for (uint64_t m = top_; a != 0 && m != 0; m >>= 1) {
      if (a & m) {
        p ^= b;
        a &= ~m;
      }
      b = (b & 1) ? (b >> 1) ^ poly_ : b >> 1;
    }
    return p;
  }

  uint64_t top_;
  uint64_t poly_;
  std::array<uint64_t, 67> x2n_{};  // x^(2^k) mod P; lengths below 2^64 bytes need k < 67
};

}  // namespace

uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
#if defined(__x86_64__)
  static const bool hardware = HasSse42();
  if (hardware) return Crc32cHardware(crc, p, n);
#endif
  return internal::Crc32cPortable(crc, p, n);
}

namespace internal {
uint32_t Crc32cPortable(uint32_t crc, const void* data, size_t n) {
  // Boost's normal-form polynomial 0x1EDC6F41 is the reflected 0x82F63B78.
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> engine(
      Reflect<uint32_t>(crc ^ 0xFFFFFFFF));
  engine.process_bytes(data, n);
  return engine.checksum();
}
}  // namespace internal

uint64_t Crc64NvmeUpdate(uint64_t crc, const void* data, size_t n) {
  // A maintained table-driven implementation (Boost.CRC, one 256-entry table, a byte per
  // step) rather than hand-written slicing or carry-less multiplication: simple and
  // ~1 GB/s. Boost wants the polynomial in normal form: 0xad93d23594c93659 is the bit
  // reversal of the reflected 0x9a6c9329ac4bc9b5 that the NVMe specification lists.
  boost::crc_optimal<64, 0xAD93D23594C93659ull, ~0ull, ~0ull, true, true> engine(
      Reflect<uint64_t>(crc ^ ~0ull));
  engine.process_bytes(data, n);
  return engine.checksum();
}

uint64_t CrcCombine(ChecksumAlgorithm algorithm, uint64_t crc_a, uint64_t crc_b, uint64_t len_b) {
  static const CrcField kCrc32(32, 0xEDB88320);
  static const CrcField kCrc32c(32, 0x82F63B78);
  static const CrcField kCrc64Nvme(64, 0x9A6C9329AC4BC9B5ull);
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return kCrc32.Combine(crc_a, crc_b, len_b);
    case ChecksumAlgorithm::kCrc32c:
      return kCrc32c.Combine(crc_a, crc_b, len_b);
    case ChecksumAlgorithm::kCrc64Nvme:
      return kCrc64Nvme.Combine(crc_a, crc_b, len_b);
    default:
      return 0;
  }
}

namespace {
struct AlgorithmNames {
  ChecksumAlgorithm algorithm;
  std::string_view lower;
  std::string_view upper;
  size_t digest_size;
};
constexpr AlgorithmNames kAlgorithms[] = {
    {ChecksumAlgorithm::kCrc32, "crc32", "CRC32", 4},
    {ChecksumAlgorithm::kCrc32c, "crc32c", "CRC32C", 4},
    {ChecksumAlgorithm::kCrc64Nvme, "crc64nvme", "CRC64NVME", 8},
    {ChecksumAlgorithm::kSha1, "sha1", "SHA1", 20},
    {ChecksumAlgorithm::kSha256, "sha256", "SHA256", 32},
};
const AlgorithmNames& Names(ChecksumAlgorithm algorithm) {
  for (const auto& a : kAlgorithms) {
    if (a.algorithm == algorithm) return a;
  }
  return kAlgorithms[0];  // unreachable: every enumerator is listed
}
}  // namespace

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  constexpr std::string_view kPrefix = "x-amz-checksum-";
  if (n.rfind(kPrefix, 0) == 0) n.erase(0, kPrefix.size());
  for (const auto& a : kAlgorithms) {
    if (n == a.lower) return a.algorithm;
  }
  return std::nullopt;
}

std::string_view ChecksumName(ChecksumAlgorithm algorithm) { return Names(algorithm).lower; }
std::string_view ChecksumUpperName(ChecksumAlgorithm algorithm) { return Names(algorithm).upper; }
size_t ChecksumDigestSize(ChecksumAlgorithm algorithm) { return Names(algorithm).digest_size; }

bool IsCrc(ChecksumAlgorithm algorithm) {
  return algorithm == ChecksumAlgorithm::kCrc32 || algorithm == ChecksumAlgorithm::kCrc32c ||
         algorithm == ChecksumAlgorithm::kCrc64Nvme;
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
      crc_ = crc32_z(static_cast<uLong>(crc_), reinterpret_cast<const Bytef*>(data.data()),
                     data.size());
      break;
    case ChecksumAlgorithm::kCrc32c:
      crc_ = Crc32cUpdate(static_cast<uint32_t>(crc_), data.data(), data.size());
      break;
    case ChecksumAlgorithm::kCrc64Nvme:
      crc_ = Crc64NvmeUpdate(crc_, data.data(), data.size());
      break;
    default:
      hash_->hasher.Update(data);
  }
}

std::string Checksummer::FinishBase64() {
  if (hash_) return Base64Encode(hash_->hasher.Finish());
  return Base64Encode(BigEndian(crc_, ChecksumDigestSize(algorithm_)));
}

}  // namespace kumo::s3
