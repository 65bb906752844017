// Verification of the Authorization header:
//   AWS4-HMAC-SHA256 Credential=AK/yyyymmdd/region/s3/aws4_request,
//   SignedHeaders=a;b;c, Signature=<64 hex>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "auth/sigv4_internal.h"

namespace kumo::auth::internal {
namespace {

Status Malformed(std::string_view why) {
  return Status(ErrorCode::kAuthorizationHeaderMalformed,
                "The authorization header is malformed; " + std::string(why));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Fills credential, signed_headers and signature from the header's components, which
// clients separate with "," or ", " and may send in any order; *signed_names are views
// into parts->signed_headers.
Status ParseAuthorization(std::string_view value, SignedParts* parts,
                          std::vector<std::string_view>* signed_names) {
  value = Trim(value);
  if (value.substr(0, kAlgorithm.size()) != kAlgorithm ||
      (value.size() > kAlgorithm.size() && value[kAlgorithm.size()] != ' ')) {
    return Status::InvalidArgument("Unsupported Authorization Type");
  }
  value.remove_prefix(kAlgorithm.size());
  bool have_credential = false, have_headers = false, have_signature = false;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = Trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Malformed("missing '=' in \"" + std::string(item) + "\".");
    }
    std::string_view name = item.substr(0, eq), v = item.substr(eq + 1);
    if (name == "Credential" && !have_credential) {
      std::string why = ParseCredential(v, &parts->credential);
      if (!why.empty()) return Malformed(why);
      have_credential = true;
    } else if (name == "SignedHeaders" && !have_headers) {
      parts->signed_headers = std::string(v);
      have_headers = true;
    } else if (name == "Signature" && !have_signature) {
      parts->signature = std::string(v);
      have_signature = true;
    } else {
      return Malformed("unexpected component \"" + std::string(name) + "\".");
    }
  }
  if (!have_credential || !have_headers || !have_signature) {
    return Malformed("it must contain Credential, SignedHeaders and Signature.");
  }
  std::string why = SplitSignedHeaders(parts->signed_headers, signed_names);
  if (!why.empty()) return Malformed(why);
  return Status::OK();
}

}  // namespace

Result<AuthContext> VerifyHeaderAuth(const HttpRequest& request, std::string_view authorization,
                                     const CredentialLookup& creds, const VerifyOptions& options) {
  SignedParts parts;
  std::vector<std::string_view> signed_names;
  KUMO_RETURN_IF_ERROR(ParseAuthorization(authorization, &parts, &signed_names));

  // x-amz-date wins; the Date header is the fallback, and the string-to-sign then carries
  // its instant in the ISO 8601 basic form.
  int64_t when = 0;
  bool dated = false;
  if (const std::string* amz_date = request.Header("x-amz-date")) {
    dated = ParseAmzDate(*amz_date, &when);
    parts.amz_date = *amz_date;
  } else if (const std::string* date = request.Header("date")) {
    dated = ParseHttpDate(*date, &when);
    parts.amz_date = FormatAmzDate(when);
  }
  if (!dated) {
    return Status(ErrorCode::kAccessDenied,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (parts.amz_date.substr(0, 8) != parts.credential.date) {
    return Malformed("Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  if (std::llabs(options.now_unix - when) > options.max_skew_seconds) {
    return Status(ErrorCode::kRequestTimeTooSkewed,
                  "The difference between the request time and the current time is too large.");
  }

  const std::string* content_sha = request.Header("x-amz-content-sha256");
  if (content_sha == nullptr) {
    return Status(ErrorCode::kInvalidRequest,
                  "Missing required header for this request: x-amz-content-sha256");
  }
  AuthContext ctx;
  KUMO_RETURN_IF_ERROR(ParsePayloadMode(*content_sha, &ctx));
  parts.payload_hash = *content_sha;
  return CheckSignature(request, creds, parts, signed_names, std::move(ctx));
}

}  // namespace kumo::auth::internal
