// Hashing helpers over OpenSSL: MD5 (ETags, Content-MD5), SHA-256 and HMAC-SHA256 (SigV4),
// hex and base64 codecs. Incremental hashers are not thread-safe; one per stream.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kumo {

std::string HexEncode(std::string_view bytes);
// Returns false on odd length or a non-hex character.
bool HexDecode(std::string_view hex, std::string* out);
std::string Base64Encode(std::string_view bytes);
// Returns false on malformed input.
bool Base64Decode(std::string_view b64, std::string* out);

// Raw (binary) digests.
std::string Md5(std::string_view data);
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Sha256Hex(std::string_view data);

// Streaming digest; Algorithm picks MD5, SHA-1 or SHA-256.
class Hasher {
 public:
  enum class Algorithm { kMd5, kSha1, kSha256 };
  explicit Hasher(Algorithm algorithm);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  void Update(std::string_view data);
  // Returns the raw digest; the hasher is reset afterwards.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Constant-time comparison, for signatures.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace kumo
