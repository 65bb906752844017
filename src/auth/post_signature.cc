// The SigV4 signature of a browser POST form: the string to sign is the base64 policy
// itself, signed with the same derived key as header and presigned requests.
#include "auth/post_policy.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"

namespace kumo::auth {
namespace {

Result<std::string> Required(const StringPairs& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return v;
  }
  return Status::InvalidArgument("Bucket POST must contain a field named '" + std::string(name) +
                                 "'.  If it is specified, please check the order of the fields.");
}

}  // namespace

Result<std::string> VerifyPostSignature(const StringPairs& fields, const CredentialLookup& creds) {
  KUMO_ASSIGN_OR_RETURN(std::string algorithm, Required(fields, "x-amz-algorithm"));
  if (algorithm != internal::kAlgorithm) {
    return Status::InvalidArgument("Unsupported x-amz-algorithm \"" + algorithm +
                                   "\"; only AWS4-HMAC-SHA256 is supported.");
  }
  KUMO_ASSIGN_OR_RETURN(std::string credential_text, Required(fields, "x-amz-credential"));
  internal::Credential credential;
  if (std::string why = internal::ParseCredential(credential_text, &credential); !why.empty()) {
    return Status::InvalidArgument("Invalid x-amz-credential: " + why);
  }
  KUMO_ASSIGN_OR_RETURN(std::string amz_date, Required(fields, "x-amz-date"));
  int64_t unused = 0;
  if (!internal::ParseAmzDate(amz_date, &unused)) {
    return Status::InvalidArgument("Invalid x-amz-date \"" + amz_date +
                                   "\"; expected yyyyMMdd'T'HHmmss'Z'.");
  }
  KUMO_ASSIGN_OR_RETURN(std::string signature, Required(fields, "x-amz-signature"));
  KUMO_ASSIGN_OR_RETURN(std::string policy, Required(fields, "policy"));

  Result<std::string> secret = creds.SecretFor(credential.access_key);
  if (!secret.ok()) {
    if (!secret.status().Is(ErrorCode::kInvalidAccessKeyId)) return secret.status();
    return Status(ErrorCode::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  std::string key =
      internal::SigningKeyCache::Global().Get(*secret, credential.date, credential.region);
  if (!ConstantTimeEquals(internal::SignatureHex(key, policy), signature)) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  return credential.access_key;
}

std::string PostPolicySignature(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view policy_base64) {
  return internal::SignatureHex(DeriveSigningKey(secret, date, region, "s3"), policy_base64);
}

}  // namespace kumo::auth
