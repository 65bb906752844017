// AWS Signature Version 4 for S3: verification of the Authorization header and of
// presigned query strings, and signing (for the kumo CLI and kumo-bench).
// All functions are pure and thread-safe, except SigningKeyCache which locks internally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo::auth {

// How the request body is protected, from x-amz-content-sha256.
enum class PayloadMode {
  kSigned,                   // hex SHA-256 of the body in x-amz-content-sha256
  kUnsigned,                 // UNSIGNED-PAYLOAD (and presigned URLs)
  kStreamingSigned,          // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
  kStreamingSignedTrailer,   // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer  // STREAMING-UNSIGNED-PAYLOAD-TRAILER
};

// Looks up the secret for an access key id. Implementations must be thread-safe.
class CredentialLookup {
 public:
  virtual ~CredentialLookup() = default;
  // Errors: kInvalidAccessKeyId.
  virtual Result<std::string> SecretFor(std::string_view access_key) const = 0;
};

struct VerifyOptions {
  int64_t now_unix = 0;                // current time, seconds
  int64_t max_skew_seconds = 15 * 60;  // RequestTimeTooSkewed beyond
  int64_t max_presign_expiry = 7 * 24 * 3600;
  // A request without any credentials is anonymous (an AuthContext with an empty
  // access_key) instead of kAccessDenied; authorization then decides what it may do.
  bool allow_anonymous = false;
};

// What a verified request tells the rest of the pipeline.
struct AuthContext {
  std::string access_key;
  PayloadMode payload = PayloadMode::kUnsigned;
  std::string expected_payload_sha256;  // lower-case hex, when payload == kSigned
  // For the streaming modes: the inputs of each chunk's string-to-sign.
  std::string seed_signature;  // hex signature of the request itself
  std::string signing_key;     // raw derived key (kDate/kRegion/kService/aws4_request)
  std::string amz_date;        // yyyymmddThhmmssZ
  std::string scope;           // yyyymmdd/region/s3/aws4_request
};

// Verifies a request signed with the Authorization header or a presigned query.
// Errors (S3 semantics):
//   no credentials at all              -> kAccessDenied (anonymous with allow_anonymous)
//   malformed Authorization            -> kAuthorizationHeaderMalformed
//   malformed presign parameters       -> kAuthorizationQueryParametersError
//     (either: a SignedHeaders list that repeats a name, is unsorted, lacks host or has
//     more than 256 names; refused before the key lookup)
//   an x-amz-* header not signed (both styles; x-amz-content-sha256 exempt) -> kAccessDenied
//   unknown access key                 -> kInvalidAccessKeyId
//   date too far from now (header)     -> kRequestTimeTooSkewed
//   presign expired                    -> kExpiredRequest ("Request has expired")
//   X-Amz-Expires > 7 days             -> kAuthorizationQueryParametersError
//   wrong signature                    -> kSignatureDoesNotMatch (constant-time compare)
//   presign dated > max skew ahead     -> kRequestTimeTooSkewed
//   no/unparsable Date and x-amz-date  -> kAccessDenied
//   header auth w/o x-amz-content-sha256 -> kInvalidRequest; unknown value -> kInvalidArgument
//   both header and query auth, or a non-AWS4-HMAC-SHA256 header -> kInvalidArgument
//   malformed query escapes            -> kInvalidURI
// Any region in the credential scope is accepted; the service must be "s3".
Result<AuthContext> VerifyRequest(const HttpRequest& request, const CredentialLookup& creds,
                                  const VerifyOptions& options);

// --- building blocks, exposed for tests and for the signer ---

std::string DeriveSigningKey(std::string_view secret, std::string_view date /*yyyymmdd*/,
                             std::string_view region, std::string_view service);
// Canonical request per the SigV4 spec for S3 (no path normalization, each path segment
// URI-encoded once). signed_headers: lower-case names, sorted, ';'-joined.
std::string CanonicalRequest(const HttpRequest& request, std::string_view signed_headers,
                             std::string_view payload_hash, bool exclude_signature_param);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// Hex signature of one aws-chunked chunk (AWS4-HMAC-SHA256-PAYLOAD).
std::string ChunkSignature(const AuthContext& ctx, std::string_view previous_signature,
                           std::string_view chunk_data_sha256_hex);
// Hex signature of the trailer section (AWS4-HMAC-SHA256-TRAILER); previous_signature is
// that of the final zero-length chunk, trailer_sha256_hex hashes the "name:value\n" lines.
std::string TrailerSignature(const AuthContext& ctx, std::string_view previous_signature,
                             std::string_view trailer_sha256_hex);

// --- signing, for clients (kumo CLI, kumo-bench) ---
struct SignInput {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string amz_date;  // yyyymmddThhmmssZ; empty means now
  std::string payload_sha256 = "UNSIGNED-PAYLOAD";
};
// Adds x-amz-date, x-amz-content-sha256 and Authorization headers to request (which
// must have its host header set), replacing any already there. Signs every header present.
void SignRequest(HttpRequest& request, const SignInput& input);
// Returns the query string (without '?') of a presigned URL for request: its own query
// followed by the X-Amz-* parameters. Signs every header present (usually just host, since
// whoever uses the URL must send the same values); input.payload_sha256 is not used: the
// payload is UNSIGNED-PAYLOAD unless request carries x-amz-content-sha256, as the verifier
// assumes.
std::string PresignQuery(const HttpRequest& request, const SignInput& input,
                         int64_t expires_seconds);

}  // namespace kumo::auth
