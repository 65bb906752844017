// Key derivation, its cache, and the chained signatures of aws-chunked streaming bodies.
#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"

namespace kumo::auth {
namespace {

// sha256("") in hex: the fixed "empty headers hash" line of chunk string-to-signs.
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string ChainedStringToSign(std::string_view algorithm, const AuthContext& ctx,
                                std::string_view previous_signature) {
  std::string sts(algorithm);
  sts.push_back('\n');
  sts.append(ctx.amz_date).push_back('\n');
  sts.append(ctx.scope).push_back('\n');
  sts.append(previous_signature).push_back('\n');
  return sts;
}

}  // namespace

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string k_date = HmacSha256("AWS4" + std::string(secret), date);
  std::string k_region = HmacSha256(k_date, region);
  std::string k_service = HmacSha256(k_region, service);
  return HmacSha256(k_service, "aws4_request");
}

std::string ChunkSignature(const AuthContext& ctx, std::string_view previous_signature,
                           std::string_view chunk_data_sha256_hex) {
  std::string sts = ChainedStringToSign("AWS4-HMAC-SHA256-PAYLOAD", ctx, previous_signature);
  sts.append(kEmptySha256).push_back('\n');
  sts.append(chunk_data_sha256_hex);
  return internal::SignatureHex(ctx.signing_key, sts);
}

std::string TrailerSignature(const AuthContext& ctx, std::string_view previous_signature,
                             std::string_view trailer_sha256_hex) {
  std::string sts = ChainedStringToSign("AWS4-HMAC-SHA256-TRAILER", ctx, previous_signature);
  sts.append(trailer_sha256_hex);
  return internal::SignatureHex(ctx.signing_key, sts);
}

namespace internal {

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

SigningKeyCache& SigningKeyCache::Global() {
  static SigningKeyCache* cache = new SigningKeyCache();  // never destroyed: no exit races
  return *cache;
}

std::string SigningKeyCache::Get(std::string_view secret, std::string_view date,
                                 std::string_view region) {
  // Nearly every request on a thread repeats the previous one's (secret, date, region):
  // a per-thread copy of the last answer skips the secret's hash, the lock and the map.
  // It holds the secret in plain, as the credential store does.
  struct Last {
    std::string secret, date, region, key;
  };
  thread_local Last last;
  if (!last.key.empty() && last.secret == secret && last.date == date && last.region == region) {
    return last.key;
  }
  std::string key = Lookup(secret, date, region);
  last = {std::string(secret), std::string(date), std::string(region), key};
  return key;
}

std::string SigningKeyCache::Lookup(std::string_view secret, std::string_view date,
                                    std::string_view region) {
  // The secret is hashed into the key so the map holds no plain secrets; one SHA-256 is
  // still far cheaper than the four HMACs of a derivation.
  std::string id = Sha256(secret);
  id.append(date).push_back('/');
  id.append(region);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(id);
    if (it != keys_.end()) return it->second;
  }
  std::string key = DeriveSigningKey(secret, date, region, "s3");
  std::lock_guard<std::mutex> lock(mu_);
  if (keys_.size() >= kMaxEntries) keys_.clear();
  keys_.emplace(std::move(id), key);
  return key;
}

}  // namespace internal
}  // namespace kumo::auth
