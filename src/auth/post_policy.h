// S3 browser-based uploads (POST Object) with AWS Signature Version 4: the signature of
// the form (an HMAC of the base64 policy under the SigV4 signing key) and the POST policy
// document (expiration, conditions on the form fields, content-length-range).
// Form fields are given with lower-case names, as S3 compares them case-insensitively.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sigv4.h"
#include "common/http_request.h"
#include "common/status.h"

namespace kumo::auth {

struct PostCondition {
  enum class Kind { kEq, kStartsWith, kContentLengthRange };
  Kind kind = Kind::kEq;
  std::string field;  // lower-case, without the '$'
  std::string value;  // kEq: the value; kStartsWith: the prefix
  int64_t min = 0;    // kContentLengthRange bounds, inclusive
  int64_t max = 0;
  std::string text;  // as quoted in "Policy Condition failed: ..."
};

struct PostPolicy {
  int64_t expiration_unix = 0;
  std::vector<PostCondition> conditions;
  // The intersection of every content-length-range condition.
  bool has_length_range = false;
  int64_t min_length = 0;
  int64_t max_length = 0;
};

// Decodes and parses the "policy" form field. Errors: kInvalidPolicyDocument when it is
// not base64 of a JSON object with an ISO 8601 "expiration" and a "conditions" array of
// {"field": "value"} objects and ["eq" | "starts-with", "$field", "value"] or
// ["content-length-range", min, max] arrays.
Result<PostPolicy> ParsePostPolicy(std::string_view policy_base64);

// Verifies x-amz-signature over the policy field with the key of x-amz-credential.
// Returns the access key. Errors: kInvalidArgument for a missing or malformed
// x-amz-algorithm / x-amz-credential / x-amz-date / x-amz-signature / policy field,
// kInvalidAccessKeyId, kSignatureDoesNotMatch (constant-time compare).
Result<std::string> VerifyPostSignature(const StringPairs& fields, const CredentialLookup& creds);

// Checks the policy against the form: not expired at now_unix, every condition met
// ("bucket" is the addressed bucket, an absent field counts as ""), and every field but
// x-amz-signature, file, policy and x-ignore-* covered by a condition. content-length-range
// is not checked here (see CheckPostContentLength). Errors: kAccessDenied, with S3's
// "Invalid according to Policy: ..." messages.
Status CheckPostPolicy(const PostPolicy& policy, const StringPairs& fields, std::string_view bucket,
                       int64_t now_unix);

// Checks the file size against content-length-range. While the file streams (final ==
// false) only the maximum is checked. Errors: kEntityTooLarge, kEntityTooSmall.
Status CheckPostContentLength(const PostPolicy& policy, uint64_t size, bool final);

// The hex signature of a policy, for clients and tests: HMAC-SHA256 of policy_base64
// under the signing key of (secret, date yyyymmdd, region, "s3").
std::string PostPolicySignature(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view policy_base64);

}  // namespace kumo::auth
