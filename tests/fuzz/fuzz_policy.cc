// Fuzzes the IAM policy parser (policy::ParsePolicy) — a bucket policy arrives as a
// request body — and evaluates every document it accepts. Input: one byte of choices
// (bucket or identity policy, the bucket to bind to, the request to evaluate), then the
// document. Invariants: parsing never throws or crashes and fails only with
// MalformedPolicy; an accepted document gives one decision, the same twice (evaluation
// reads nothing but its arguments).
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "policy/evaluate.h"
#include "policy/policy_document.h"

namespace {

struct Request {
  const char* action;
  const char* key;
  const char* ip;
  const char* prefix;
};
constexpr Request kRequests[] = {
    {"s3:GetObject", "photo.jpg", "203.0.113.7", ""},
    {"s3:PutObject", "inbox/a", "198.51.100.4", ""},
    {"s3:ListBucket", "", "2001:db8::1", "a/"},
    {"s3:DeleteObject", "x", "10.0.0.1", ""},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t choices = data[0];
  const std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  kumo::policy::ParseOptions options;
  options.is_identity_policy = (choices & 1) != 0;
  options.bucket = (choices & 2) != 0 ? "photos" : "";
  auto policy = kumo::policy::ParsePolicy(json, options);
  if (!policy.ok()) {
    KUMO_FUZZ_CHECK(policy.status().Is(kumo::ErrorCode::kMalformedPolicy));
    return 0;
  }
  const Request& r = kRequests[(choices >> 2) % std::size(kRequests)];
  kumo::policy::RequestContext context;
  context.Set("aws:SourceIp", r.ip);
  context.Set("s3:prefix", r.prefix);
  context.Set("aws:SecureTransport", (choices & 64) != 0 ? "true" : "false");
  context.Set("aws:CurrentTime", "2026-12-03T12:00:00Z");
  context.Set("aws:username", "al*ce");  // for policy variables; a '*' that must stay text
  const std::vector<const kumo::policy::Policy*> policies = {&*policy};
  const std::string resource =
      *r.key != '\0' ? kumo::policy::ObjectArn("photos", r.key) : kumo::policy::BucketArn("photos");
  for (const auto& principal :
       {kumo::policy::Principal::Anonymous(), kumo::policy::Principal::User("alice", "AKALICE")}) {
    auto first = kumo::policy::Evaluate(policies, principal, r.action, resource, context);
    auto again = kumo::policy::Evaluate(policies, principal, r.action, resource, context);
    KUMO_FUZZ_CHECK(first == again);
  }
  return 0;
}
