// Sealing of secrets stored at rest (users' secret keys in the index) with a 256-bit
// master key: AES-256-GCM (OpenSSL), a random 96-bit nonce per seal, the purpose as
// additional data so that a sealed value cannot be moved to another field. A sealed
// value is text: "kumo-sealed:v1:" + hex(nonce | ciphertext | tag).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kumo {

inline constexpr size_t kMasterKeyBytes = 32;

// True when value was produced by Seal (of any key).
bool IsSealed(std::string_view value);

// key: kMasterKeyBytes bytes. purpose: what the secret is ("user-secret"), bound to it.
// Errors: kInvalidArgument (key size), kInternal (OpenSSL).
Result<std::string> Seal(std::string_view key, std::string_view purpose,
                         std::string_view plaintext);

// Errors: kInvalidArgument (key size, not sealed), kCorruption (another key, another
// purpose, or altered).
Result<std::string> Unseal(std::string_view key, std::string_view purpose, std::string_view sealed);

// A new random key of kMasterKeyBytes bytes.
std::string NewMasterKey();

}  // namespace kumo
