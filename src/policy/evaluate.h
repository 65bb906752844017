// Policy evaluation with AWS semantics: an explicit Deny in any of the policies wins;
// otherwise any Allow allows; otherwise the request is implicitly denied. Evaluate reads
// immutable Policies and allocates nothing (but to expand policy variables), so any number
// of threads may call it at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/conditions.h"
#include "policy/policy_document.h"

namespace kumo::policy {

// Kumo is one AWS account: every user belongs to it, and ARNs carry this account id.
inline constexpr std::string_view kAccountId = "000000000000";

// Who makes a request.
struct Principal {
  bool anonymous = true;
  std::string user_name;
  std::string access_key;
  std::string arn;  // arn:aws:iam::000000000000:user/<name>; empty when anonymous

  static Principal Anonymous() { return Principal{}; }
  static Principal User(std::string user_name, std::string access_key);
};

enum class Decision : uint8_t { kAllow, kExplicitDeny, kImplicitDeny };

// "arn:aws:s3:::<bucket>" and "arn:aws:s3:::<bucket>/<key>": the resources S3 actions
// name. Service-level actions (s3:ListAllMyBuckets) use "*".
std::string BucketArn(std::string_view bucket);
std::string ObjectArn(std::string_view bucket, std::string_view key);

// Whether a Resource / NotResource pattern of the policy holds a policy variable
// (${aws:username}, ${s3:prefix, 'default'}, ${*}, ...): only in the 2012-10-17 language.
// Its values come from the request context, which must then be filled.
bool HasPolicyVariables(const Policy& policy);

// Evaluates action (e.g. "s3:GetObject", any case) on resource against the policies
// (bucket and identity policies alike; null entries are skipped). A statement applies
// when its principal (bucket policies only), action, resource and all its conditions
// match; an action outside kActionNames is covered only by "*". Policy variables in a
// resource pattern take the context's value (a variable with no value and no default
// matches nothing); only such a pattern makes evaluation allocate.
Decision Evaluate(const std::vector<const Policy*>& policies, const Principal& principal,
                  std::string_view action, std::string_view resource,
                  const RequestContext& context);

}  // namespace kumo::policy
