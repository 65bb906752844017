#include "policy/access.h"

#include <algorithm>
#include <cctype>

namespace kumo::policy {

namespace {

// A condition that limits a statement to callers known in advance (see IsPublicPolicy).
bool PinsCaller(const Condition& c) {
  if (c.negated || c.if_exists || c.qualifier == SetQualifier::kForAllValues) return false;
  if (c.key == "aws:sourceip") {
    if (c.op != ConditionOp::kIpAddress || c.nets.empty()) return false;
    for (const IpNet& net : c.nets) {
      // IPv4 nets are held IPv4-mapped: /8 is 104 bits.
      bool v4 = net.prefix_bits >= 96 && net.address[10] == 0xff && net.address[11] == 0xff;
      if (net.prefix_bits < (v4 ? 104 : 32)) return false;
    }
    return true;
  }
  static constexpr std::string_view kIdentityKeys[] = {"aws:username",     "aws:userid",
                                                       "aws:principalarn", "aws:principalaccount",
                                                       "aws:sourcearn",    "aws:sourceaccount"};
  for (auto key : kIdentityKeys) {
    if (c.key != key) continue;
    if (c.op == ConditionOp::kStringEquals || c.op == ConditionOp::kStringEqualsIgnoreCase) {
      return true;
    }
    // A pattern pins the caller only when it has no wildcard.
    if (c.op == ConditionOp::kStringLike || c.op == ConditionOp::kArnLike) {
      for (const auto& v : c.strings) {
        if (v.find_first_of("*?") != std::string::npos) return false;
      }
      return !c.strings.empty();
    }
  }
  return false;
}

}  // namespace

bool IsPublicPolicy(const Policy& policy) {
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::kAllow) continue;
    if (!s.not_principal && !s.principals.any) continue;
    bool pinned = false;
    for (const Condition& c : s.conditions) pinned = pinned || PinsCaller(c);
    if (!pinned) return true;
  }
  return false;
}

ContextKeys ContextKeysOf(const Policy& policy) {
  ContextKeys keys;
  keys.all = HasPolicyVariables(policy);
  keys.needed = keys.all;
  for (const Statement& s : policy.statements) {
    for (const Condition& c : s.conditions) {
      keys.needed = true;
      keys.all = keys.all || c.variables;
      if (std::find(keys.keys.begin(), keys.keys.end(), c.key) == keys.keys.end()) {
        keys.keys.push_back(c.key);
      }
    }
  }
  return keys;
}

bool ReadsObjectTags(const Policy& policy) {
  for (const Statement& s : policy.statements) {
    for (const Condition& c : s.conditions) {
      if (c.key.starts_with("s3:existingobjecttag/")) return true;
    }
  }
  return false;
}

Decision Decide(const AccessRequest& request) {
  const UserAccess* user = request.user;
  const BucketAccess* bucket = request.bucket;
  const Policy* identity = user != nullptr ? user->policy.get() : nullptr;
  const Policy* bucket_policy = bucket != nullptr ? bucket->policy.get() : nullptr;

  RequestContext context;
  const ContextKeys* identity_keys = identity != nullptr ? &user->policy_context_keys : nullptr;
  const ContextKeys* bucket_keys =
      bucket_policy != nullptr ? &bucket->policy_context_keys : nullptr;
  if (((identity_keys != nullptr && identity_keys->needed) ||
       (bucket_keys != nullptr && bucket_keys->needed)) &&
      request.conditions) {
    context.Restrict(identity_keys, bucket_keys);
    request.conditions(&context);
  }
  static const Principal kAnonymous = Principal::Anonymous();
  const Principal& principal = user != nullptr ? user->principal : kAnonymous;

  bool allowed = false;
  if (identity != nullptr) {
    Decision d = Evaluate({identity}, principal, request.action, request.resource, context);
    if (d == Decision::kExplicitDeny) return d;
    allowed = d == Decision::kAllow;
  }
  if (bucket_policy != nullptr) {
    Decision d = Evaluate({bucket_policy}, principal, request.action, request.resource, context);
    if (d == Decision::kExplicitDeny) return d;
    // RestrictPublicBuckets: a public policy serves only the account's own users.
    bool restricted =
        bucket->block.restrict_public_buckets && bucket->policy_is_public && user == nullptr;
    if (d == Decision::kAllow && !restricted) allowed = true;
  }
  if (allowed) return Decision::kAllow;

  if (user != nullptr) {
    // The bucket owner may do everything in its bucket, as an account may in its own.
    if (bucket != nullptr && bucket->owner == user->name) return Decision::kAllow;
    // A user nobody gave a policy may create buckets and list its own; a policy, once
    // given, says exactly what the user may do outside the buckets it owns.
    if (identity == nullptr &&
        (request.action == "s3:CreateBucket" || request.action == "s3:ListAllMyBuckets")) {
      return Decision::kAllow;
    }
  }

  if (bucket != nullptr && bucket->acls_enabled()) {
    const std::string_view requester = user != nullptr ? std::string_view(user->name) : "";
    const bool ignore_public = bucket->block.ignore_public_acls;
    if (auto p = BucketAclPermissionFor(request.action);
        p && AclAllows(bucket->acl, requester, *p, ignore_public)) {
      return Decision::kAllow;
    }
    if (auto p = ObjectAclPermissionFor(request.action); p && request.object) {
      auto object = request.object();
      if (object && AclAllows(object->acl, requester, *p, ignore_public)) {
        return Decision::kAllow;
      }
      // An object's owner may always read and write its ACL, whatever the ACL says (S3).
      const bool acp = *p == AclPermission::kReadAcp || *p == AclPermission::kWriteAcp;
      if (object && acp && !requester.empty() && object->acl.owner == requester) {
        return Decision::kAllow;
      }
    }
  }
  return Decision::kImplicitDeny;
}

}  // namespace kumo::policy
