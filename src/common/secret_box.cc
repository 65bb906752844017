#include "common/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "common/hash.h"

namespace kumo {

namespace {

constexpr std::string_view kPrefix = "kumo-sealed:v1:";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

bool IsSealed(std::string_view value) { return value.substr(0, kPrefix.size()) == kPrefix; }

std::string NewMasterKey() {
  std::string key(kMasterKeyBytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size()));
  return key;
}

Result<std::string> Seal(std::string_view key, std::string_view purpose,
                         std::string_view plaintext) {
  if (key.size() != kMasterKeyBytes) return Status::InvalidArgument("master key must be 32 bytes");
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  auto* cipher = nonce + kNonceBytes;
  if (RAND_bytes(nonce, kNonceBytes) != 1) return Status::Internal("no random bytes");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose),
                        static_cast<int>(purpose.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, cipher + plaintext.size()) !=
          1) {
    return Status::Internal("AES-256-GCM seal failed");
  }
  return std::string(kPrefix) + HexEncode(out);
}

Result<std::string> Unseal(std::string_view key, std::string_view purpose,
                           std::string_view sealed) {
  if (key.size() != kMasterKeyBytes) return Status::InvalidArgument("master key must be 32 bytes");
  if (!IsSealed(sealed)) return Status::InvalidArgument("not a sealed value");
  std::string raw;
  if (!HexDecode(sealed.substr(kPrefix.size()), &raw) ||
      raw.size() < static_cast<size_t>(kNonceBytes + kTagBytes)) {
    return Status::Corruption("malformed sealed value");
  }
  const size_t text_len = raw.size() - kNonceBytes - kTagBytes;
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  auto* cipher = nonce + kNonceBytes;
  std::string plain(text_len, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose),
                        static_cast<int>(purpose.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, cipher, static_cast<int>(text_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, cipher + text_len) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1) {
    return Status::Corruption("sealed value does not open with this master key");
  }
  return plain;
}

}  // namespace kumo
