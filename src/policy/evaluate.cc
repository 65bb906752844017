#include "policy/evaluate.h"

#include "policy/glob.h"
#include "policy/variables.h"

namespace kumo::policy {

namespace {

// Whether the principal is one of the set. "*" covers everyone, anonymous included; the
// account's root ARN covers every user of the account.
bool InSet(const PrincipalSet& set, const Principal& p) {
  if (set.any) return true;
  if (p.anonymous) return false;
  for (const auto& id : set.ids) {
    if (id == p.arn || id == p.access_key) return true;
    if (id.size() == 13 + kAccountId.size() + 5 && id.starts_with("arn:aws:iam::") &&
        id.ends_with(":root") && std::string_view(id).substr(13, kAccountId.size()) == kAccountId) {
      return true;
    }
  }
  return false;
}

bool PatternMatches(std::string_view pattern, std::string_view resource, bool variables,
                    const RequestContext& context) {
  if (!variables || !HasVariable(pattern)) return GlobMatch(pattern, resource);
  ExpandedPattern expanded;
  return ExpandVariables(pattern, context, &expanded) && ExpandedGlobMatch(expanded, resource);
}

bool ResourceMatches(const Statement& s, std::string_view resource, bool variables,
                     const RequestContext& context) {
  bool any = false;
  for (const auto& pattern : s.resources) {
    if (PatternMatches(pattern, resource, variables, context)) {
      any = true;
      break;
    }
  }
  return any != s.not_resource;
}

bool Applies(const Statement& s, bool check_principal, bool variables, const Principal& principal,
             ActionSet action_bit, std::string_view resource, const RequestContext& context) {
  if (check_principal && s.has_principal && InSet(s.principals, principal) == s.not_principal) {
    return false;
  }
  if (((s.actions & action_bit) != 0) == s.not_action) return false;
  if (!ResourceMatches(s, resource, variables, context)) return false;
  return ConditionsHold(s.conditions, context);
}

}  // namespace

bool HasPolicyVariables(const Policy& policy) {
  // The 2008-10-17 language has no variables: "${" is text there.
  if (policy.version != "2012-10-17") return false;
  for (const Statement& s : policy.statements) {
    for (const auto& r : s.resources) {
      if (HasVariable(r)) return true;
    }
  }
  return false;
}

Principal Principal::User(std::string user_name, std::string access_key) {
  Principal p;
  p.anonymous = false;
  p.arn = std::string("arn:aws:iam::").append(kAccountId).append(":user/").append(user_name);
  p.user_name = std::move(user_name);
  p.access_key = std::move(access_key);
  return p;
}

std::string BucketArn(std::string_view bucket) {
  return std::string("arn:aws:s3:::").append(bucket);
}

std::string ObjectArn(std::string_view bucket, std::string_view key) {
  return std::string("arn:aws:s3:::").append(bucket).append("/").append(key);
}

Decision Evaluate(const std::vector<const Policy*>& policies, const Principal& principal,
                  std::string_view action, std::string_view resource,
                  const RequestContext& context) {
  const ActionSet bit = ActionBit(action);
  bool allowed = false;
  for (const Policy* policy : policies) {
    if (policy == nullptr) continue;
    const bool variables = HasPolicyVariables(*policy);
    for (const Statement& s : policy->statements) {
      // A Deny is decisive; an Allow only needs to be found once.
      if (s.effect == Effect::kAllow && allowed) continue;
      if (!Applies(s, !policy->is_identity_policy, variables, principal, bit, resource, context)) {
        continue;
      }
      if (s.effect == Effect::kDeny) return Decision::kExplicitDeny;
      allowed = true;
    }
  }
  return allowed ? Decision::kAllow : Decision::kImplicitDeny;
}

}  // namespace kumo::policy
