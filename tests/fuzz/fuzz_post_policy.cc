// Fuzzes the POST policy of browser uploads: ParsePostPolicy (base64, then JSON),
// CheckPostPolicy, CheckPostContentLength and VerifyPostSignature.
// Input: form fields, then the policy document (base64-encoded here, so that the fuzzer
// works on the JSON; one input in four is passed as the base64 text itself).
// Invariants: the checks answer only with their documented codes; content-length-range
// is enforced exactly; a form signed with PostPolicySignature verifies, and a changed
// signature does not.
#include <cstdint>
#include <string>

#include "auth/post_policy.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"
#include "fuzz_util.h"

namespace {

using kumo::ErrorCode;

class OneKey : public kumo::auth::CredentialLookup {
 public:
  kumo::Result<std::string> SecretFor(std::string_view access_key) const override {
    if (access_key != "AKIAIOSFODNN7EXAMPLE") {
      return kumo::Status(ErrorCode::kInvalidAccessKeyId, "unknown");
    }
    return std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  static constexpr const char* kFields[] = {
      "key",          "bucket",           "acl",        "content-type",   "success_action_status",
      "x-amz-meta-a", "x-amz-credential", "x-amz-date", "x-amz-algorithm"};
  kumo::StringPairs fields;
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 6);
  for (size_t i = 0; i < n; ++i) {
    std::string name = in.ConsumeBool()
                           ? kFields[in.ConsumeIntegralInRange<size_t>(0, std::size(kFields) - 1)]
                           : kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kLowerToken, 16);
    fields.emplace_back(name, in.ConsumeRandomLengthString(32));
  }
  int64_t now = in.ConsumeIntegral<int64_t>();
  uint64_t file_size = in.ConsumeIntegral<uint64_t>();
  bool raw_base64 = in.ConsumeIntegralInRange(0, 3) == 0;
  std::string doc = in.ConsumeRemainingBytesAsString();
  std::string policy_b64 = raw_base64 ? doc : kumo::Base64Encode(doc);

  auto policy = kumo::auth::ParsePostPolicy(policy_b64);
  if (policy.ok()) {
    kumo::Status s = kumo::auth::CheckPostPolicy(*policy, fields, "bucket", now);
    KUMO_FUZZ_CHECK(s.ok() || s.Is(ErrorCode::kAccessDenied));
    for (bool final : {false, true}) {
      kumo::Status len = kumo::auth::CheckPostContentLength(*policy, file_size, final);
      if (!policy->has_length_range) {
        KUMO_FUZZ_CHECK(len.ok());
        continue;
      }
      const bool too_large =
          policy->max_length < 0 || file_size > static_cast<uint64_t>(policy->max_length);
      const bool too_small =
          policy->min_length > 0 && file_size < static_cast<uint64_t>(policy->min_length);
      if (too_large) {
        KUMO_FUZZ_CHECK(len.Is(ErrorCode::kEntityTooLarge));
      } else if (final && too_small) {
        KUMO_FUZZ_CHECK(len.Is(ErrorCode::kEntityTooSmall));
      } else {
        KUMO_FUZZ_CHECK(len.ok());
      }
    }
  } else {
    KUMO_FUZZ_CHECK(policy.status().Is(ErrorCode::kInvalidPolicyDocument));
  }

  OneKey creds;
  auto arbitrary = kumo::auth::VerifyPostSignature(fields, creds);
  (void)arbitrary;
  kumo::StringPairs signed_form = fields;
  std::erase_if(signed_form, [](const auto& f) {
    return f.first == "x-amz-algorithm" || f.first == "x-amz-credential" ||
           f.first == "x-amz-date" || f.first == "x-amz-signature" || f.first == "policy";
  });
  std::string signature = kumo::auth::PostPolicySignature(
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", policy_b64);
  signed_form.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
  signed_form.emplace_back("x-amz-credential",
                           "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
  signed_form.emplace_back("x-amz-date", "20130524T000000Z");
  signed_form.emplace_back("policy", policy_b64);
  signed_form.emplace_back("x-amz-signature", signature);
  auto who = kumo::auth::VerifyPostSignature(signed_form, creds);
  KUMO_FUZZ_CHECK(who.ok() && *who == "AKIAIOSFODNN7EXAMPLE");
  signed_form.back().second[0] = signature[0] == '0' ? '1' : '0';
  KUMO_FUZZ_CHECK(kumo::auth::VerifyPostSignature(signed_form, creds)
                      .status()
                      .Is(ErrorCode::kSignatureDoesNotMatch));
  return 0;
}
