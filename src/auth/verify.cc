// VerifyRequest: picks the auth style, and the checks both styles share (credential
// scope, payload mode, the signature itself; the signed header list is signed_headers.cc).
#include <cctype>
#include <optional>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"

namespace kumo::auth {
namespace internal {
namespace {

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string ParseCredential(std::string_view text, Credential* out) {
  // Split from the right: the scope has a fixed shape, the access key is the rest.
  std::string_view parts[4];
  for (int i = 3; i >= 0; --i) {
    size_t slash = text.rfind('/');
    if (slash == std::string_view::npos) {
      return "the Credential is mal-formed; expecting "
             "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
    }
    parts[i] = text.substr(slash + 1);
    text = text.substr(0, slash);
  }
  if (text.empty()) return "the Credential is missing the access key id.";
  if (parts[0].size() != 8 || parts[0].find_first_not_of("0123456789") != std::string_view::npos) {
    return "incorrect date format \"" + std::string(parts[0]) +
           "\". This date should be "
           "in YYYYMMDD format.";
  }
  if (parts[1].empty()) return "the region is empty.";
  if (parts[2] != "s3") {
    return "incorrect service \"" + std::string(parts[2]) +
           "\". This endpoint belongs to "
           "\"s3\".";
  }
  if (parts[3] != "aws4_request") {
    return "incorrect terminal \"" + std::string(parts[3]) +
           "\". This endpoint uses "
           "\"aws4_request\".";
  }
  out->access_key = std::string(text);
  out->date = std::string(parts[0]);
  out->region = std::string(parts[1]);
  out->service = std::string(parts[2]);
  return "";
}

Status ParsePayloadMode(std::string_view value, AuthContext* ctx) {
  ctx->expected_payload_sha256.clear();
  if (value.size() == 64 && IsHex(value)) {
    ctx->payload = PayloadMode::kSigned;
    for (char c : value) {
      ctx->expected_payload_sha256.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  } else if (value == kUnsignedPayload) {
    ctx->payload = PayloadMode::kUnsigned;
  } else if (value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
    ctx->payload = PayloadMode::kStreamingSigned;
  } else if (value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    ctx->payload = PayloadMode::kStreamingSignedTrailer;
  } else if (value == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
    ctx->payload = PayloadMode::kStreamingUnsignedTrailer;
  } else {
    return Status::InvalidArgument(
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a "
        "valid sha256 value.");
  }
  return Status::OK();
}

Result<AuthContext> CheckSignature(const HttpRequest& request, const CredentialLookup& creds,
                                   const SignedParts& parts,
                                   const std::vector<std::string_view>& signed_names,
                                   AuthContext ctx) {
  // Before the key lookup and the hashing: the rule needs neither, and a request it
  // refuses costs no more than this one pass over its headers.
  KUMO_RETURN_IF_ERROR(RequireAmzHeadersSigned(request, signed_names));
  Result<std::string> secret = creds.SecretFor(parts.credential.access_key);
  if (!secret.ok()) {
    if (!secret.status().Is(ErrorCode::kInvalidAccessKeyId)) return secret.status();
    return Status(ErrorCode::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  std::string key =
      SigningKeyCache::Global().Get(*secret, parts.credential.date, parts.credential.region);
  std::string scope = parts.credential.Scope();
  std::string canonical =
      CanonicalRequest(request, parts.signed_headers, parts.payload_hash, parts.presigned);
  std::string expected = SignatureHex(key, StringToSign(parts.amz_date, scope, canonical));
  if (!ConstantTimeEquals(expected, parts.signature)) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  ctx.access_key = parts.credential.access_key;
  ctx.seed_signature = std::move(expected);
  ctx.signing_key = std::move(key);
  ctx.amz_date = parts.amz_date;
  ctx.scope = std::move(scope);
  return ctx;
}

}  // namespace internal

Result<AuthContext> VerifyRequest(const HttpRequest& request, const CredentialLookup& creds,
                                  const VerifyOptions& options) {
  std::optional<StringPairs> query = ParseQuery(request.raw_query);
  if (!query) return Status(ErrorCode::kInvalidURI, "Couldn't parse the specified URI.");
  bool presign = false;
  for (const auto& [name, value] : *query) {
    if (name == "X-Amz-Credential" || name == "X-Amz-Algorithm") presign = true;
  }
  const std::string* authorization = request.Header("authorization");
  if (authorization != nullptr && presign) {
    return Status::InvalidArgument(
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
        "Signature query string parameter or the Authorization header should be specified");
  }
  if (authorization != nullptr) {
    return internal::VerifyHeaderAuth(request, *authorization, creds, options);
  }
  if (presign) return internal::VerifyPresigned(request, *query, creds, options);
  if (options.allow_anonymous) return AuthContext{};
  return Status(ErrorCode::kAccessDenied, "Access Denied");
}

}  // namespace kumo::auth
