// Verification of presigned URLs (SigV4 query-string authentication):
//   X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
//   X-Amz-Signature; X-Amz-Security-Token, when present, is merely signed like any param.
// The x-amz-* headers of the request follow the rule of header auth (signed_headers.cc).
#include <string_view>
#include <vector>

#include "auth/sigv4_internal.h"

namespace kumo::auth::internal {
namespace {

Status QueryError(std::string message) {
  return Status(ErrorCode::kAuthorizationQueryParametersError, std::move(message));
}

const std::string* Param(const StringPairs& query, std::string_view name) {
  for (const auto& [n, v] : query) {
    if (n == name) return &v;
  }
  return nullptr;
}

// Decimal seconds; false on anything else (sign, junk, or absurd length).
bool ParseSeconds(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 12) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<AuthContext> VerifyPresigned(const HttpRequest& request, const StringPairs& query,
                                    const CredentialLookup& creds, const VerifyOptions& options) {
  const std::string* algorithm = Param(query, "X-Amz-Algorithm");
  const std::string* credential = Param(query, "X-Amz-Credential");
  const std::string* date = Param(query, "X-Amz-Date");
  const std::string* expires = Param(query, "X-Amz-Expires");
  const std::string* signed_headers = Param(query, "X-Amz-SignedHeaders");
  const std::string* signature = Param(query, "X-Amz-Signature");
  if (!algorithm || !credential || !date || !expires || !signed_headers || !signature) {
    return QueryError(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, "
        "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
        "X-Amz-Expires parameters.");
  }
  if (*algorithm != kAlgorithm) {
    return QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  SignedParts parts;
  parts.presigned = true;
  std::string why = ParseCredential(*credential, &parts.credential);
  if (!why.empty()) return QueryError("Error parsing the X-Amz-Credential parameter; " + why);
  int64_t when = 0;
  if (!ParseAmzDate(*date, &when)) {
    return QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  if (date->substr(0, 8) != parts.credential.date) {
    return QueryError("Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  int64_t lifetime = 0;
  if (!ParseSeconds(*expires, &lifetime)) return QueryError("X-Amz-Expires should be a number");
  if (lifetime < 1) return QueryError("X-Amz-Expires must be non-negative");
  if (lifetime > options.max_presign_expiry) {
    return QueryError("X-Amz-Expires must be less than a week (in seconds) that is " +
                      std::to_string(options.max_presign_expiry));
  }
  // signed_names are views into query, which outlives this call.
  std::vector<std::string_view> signed_names;
  why = SplitSignedHeaders(*signed_headers, &signed_names);
  if (!why.empty()) return QueryError("Error parsing the X-Amz-SignedHeaders parameter; " + why);
  if (when - options.now_unix > options.max_skew_seconds) {
    return Status(ErrorCode::kRequestTimeTooSkewed,
                  "The difference between the request time and the current time is too large.");
  }
  if (options.now_unix > when + lifetime) {
    return Status(ErrorCode::kExpiredRequest, "Request has expired");
  }

  AuthContext ctx;
  parts.amz_date = *date;
  parts.signed_headers = *signed_headers;
  parts.signature = *signature;
  // A presigned URL cannot know the body, so the payload is unsigned unless the client
  // chose to send (and thereby sign) x-amz-content-sha256.
  if (const std::string* content_sha = request.Header("x-amz-content-sha256")) {
    KUMO_RETURN_IF_ERROR(ParsePayloadMode(*content_sha, &ctx));
    parts.payload_hash = *content_sha;
  } else {
    ctx.payload = PayloadMode::kUnsigned;
    parts.payload_hash = std::string(kUnsignedPayload);
  }
  return CheckSignature(request, creds, parts, signed_names, std::move(ctx));
}

}  // namespace kumo::auth::internal
