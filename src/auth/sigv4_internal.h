// Pieces shared by the SigV4 verifier, the signer and the aws-chunked decoder. Not part of
// the auth/ contract (sigv4.h is): only src/auth/*.cc and their tests include this.
// Everything here is pure and thread-safe, except SigningKeyCache, which locks internally.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/sigv4.h"
#include "common/http_request.h"
#include "common/status.h"

namespace kumo::auth::internal {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// --- time: SigV4 dates are UTC "yyyymmddThhmmssZ" (ISO 8601 basic) ---
// Returns false unless text is exactly that format with in-range fields.
bool ParseAmzDate(std::string_view text, int64_t* unix_seconds);
// IMF-fixdate ("Fri, 24 May 2013 00:00:00 GMT"), the Date header fallback.
bool ParseHttpDate(std::string_view text, int64_t* unix_seconds);
std::string FormatAmzDate(int64_t unix_seconds);

// Canonical header value: trimmed, runs of blanks collapsed to one space (SigV4 Trimall).
std::string TrimAll(std::string_view value);
// TrimAll(value) appended to *out, without a temporary (canonical requests).
void AppendTrimAll(std::string_view value, std::string* out);

// "AK/yyyymmdd/region/service/aws4_request".
struct Credential {
  std::string access_key;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string Scope() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};
// Returns an empty string on success, else why the credential is malformed.
std::string ParseCredential(std::string_view text, Credential* out);

// --- SignedHeaders (signed_headers.cc) ---
// SDKs sign 5 to 20 headers, one per user metadata entry on top; the cap bounds what a
// request can make the server do before its signature is known to be good.
inline constexpr size_t kMaxSignedHeaders = 256;
// Splits a ';'-separated SignedHeaders list into *names (views into text). Returns an
// empty string when it is well formed: at most kMaxSignedHeaders non-empty lower-case
// names, strictly ascending (sorted, no repeats), "host" among them; else why it is not.
std::string SplitSignedHeaders(std::string_view text, std::vector<std::string_view>* names);
// S3's rule for both auth styles, presigned URLs included: every x-amz-* header of the
// request is signed. Else whoever holds a signed request or a presigned upload URL could
// add, say, x-amz-copy-source and turn the upload into a copy of an object they cannot
// read. x-amz-content-sha256 is exempt, as in S3 (the canonical request ends with it).
// sorted_names: from SplitSignedHeaders. Errors: kAccessDenied naming the headers.
Status RequireAmzHeadersSigned(const HttpRequest& request,
                               const std::vector<std::string_view>& sorted_names);

// Sets ctx->payload (and expected_payload_sha256) from an x-amz-content-sha256 value.
// Errors: kInvalidArgument for a value that is neither a SHA-256 nor a known mode.
Status ParsePayloadMode(std::string_view value, AuthContext* ctx);

// Hex HMAC of the string-to-sign under a derived key.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

// What either auth style (header or presigned query) extracts before the signature check.
struct SignedParts {
  Credential credential;
  std::string amz_date;
  std::string signed_headers;
  std::string payload_hash;  // last line of the canonical request
  std::string signature;     // as sent by the client
  bool presigned = false;
};
// Applies RequireAmzHeadersSigned, looks up the secret, recomputes the signature and
// compares it in constant time. On success fills the identity and streaming fields of ctx
// (payload fields are the caller's). signed_names: parts.signed_headers as split by
// SplitSignedHeaders (which the caller has checked). Errors: kAccessDenied (unsigned
// x-amz-* header), kInvalidAccessKeyId, kSignatureDoesNotMatch.
Result<AuthContext> CheckSignature(const HttpRequest& request, const CredentialLookup& creds,
                                   const SignedParts& parts,
                                   const std::vector<std::string_view>& signed_names,
                                   AuthContext ctx);

Result<AuthContext> VerifyHeaderAuth(const HttpRequest& request, std::string_view authorization,
                                     const CredentialLookup& creds, const VerifyOptions& options);
Result<AuthContext> VerifyPresigned(const HttpRequest& request, const StringPairs& query,
                                    const CredentialLookup& creds, const VerifyOptions& options);

// Derived keys for (secret, date, region) with service "s3". A key is valid for a whole
// day, so nearly every request of a client hits the cache; it is cleared when full
// rather than LRU-managed, since entries go stale daily anyway.
class SigningKeyCache {
 public:
  static SigningKeyCache& Global();
  std::string Get(std::string_view secret, std::string_view date, std::string_view region);

 private:
  std::string Lookup(std::string_view secret, std::string_view date, std::string_view region);

  static constexpr size_t kMaxEntries = 4096;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> keys_;  // GUARDED_BY(mu_)
};

}  // namespace kumo::auth::internal
