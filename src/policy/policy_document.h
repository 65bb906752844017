// The IAM policy language: a policy document (bucket policy or user/identity policy)
// parsed and validated the way S3 validates PutBucketPolicy, into a compact form made for
// evaluation: actions as a bit set, condition values pre-parsed, keys lower-cased.
// Policies are parsed once per change, never per request. A parsed Policy is immutable
// and safe to evaluate from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "policy/actions.h"
#include "policy/conditions.h"

namespace kumo::policy {

enum class Effect : uint8_t { kAllow, kDeny };

// The AWS principals a Principal / NotPrincipal element names.
struct PrincipalSet {
  bool any = false;              // "*" or {"AWS": "*"}: everyone, anonymous included
  std::vector<std::string> ids;  // user ARNs, account ids / root ARNs, access key ids
};

struct Statement {
  std::string sid;
  Effect effect = Effect::kAllow;
  bool has_principal = false;  // false in identity policies
  bool not_principal = false;
  PrincipalSet principals;
  bool not_action = false;
  ActionSet actions = 0;
  bool not_resource = false;
  std::vector<std::string> resources;  // ARN patterns ('*', '?'), matched case-sensitively
  std::vector<Condition> conditions;   // ANDed
};

struct Policy {
  std::string version;  // "2012-10-17" or "2008-10-17" (the default when absent)
  std::string id;
  bool is_identity_policy = false;
  std::vector<Statement> statements;
};

struct ParseOptions {
  // For a bucket policy: the bucket it is attached to. Every Resource must then lie
  // within arn:aws:s3:::<bucket> or arn:aws:s3:::<bucket>/...; empty: no such check.
  std::string_view bucket;
  // A user (identity) policy: has no Principal / NotPrincipal element. A bucket policy
  // (false) must have one in every statement.
  bool is_identity_policy = false;
};

// The largest policy document accepted, in bytes (S3's bucket policy limit).
inline constexpr size_t kMaxPolicyBytes = 20 * 1024;

// Parses and validates a policy document. Errors: kMalformedPolicy with a message that
// names the statement and the part that is wrong. Never throws.
Result<Policy> ParsePolicy(std::string_view json, const ParseOptions& options = {});

}  // namespace kumo::policy
