// The access decision: who may run an action on a resource, from everything that can
// grant or deny it — root, the bucket owner, the user's identity policy, the bucket
// policy, the bucket and object ACLs and the public access block — with AWS semantics:
// an explicit Deny wins, then any Allow, else an implicit deny.
//
// BucketAccess and UserAccess are immutable snapshots built once per change (parsed
// policies included) and shared by every request that reads them; Decide allocates only
// when a policy with conditions has to be evaluated, so any number of threads may call it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "policy/acl.h"
#include "policy/conditions.h"
#include "policy/evaluate.h"
#include "policy/policy_document.h"

namespace kumo::policy {

// Everything about one bucket that access decisions read.
struct BucketAccess {
  std::string name;
  std::string owner;                      // canonical id (access key) of the creator
  std::shared_ptr<const Policy> policy;   // null: no bucket policy
  bool policy_is_public = false;          // IsPublicPolicy(*policy)
  bool policy_reads_object_tags = false;  // ReadsObjectTags(*policy)
  ContextKeys policy_context_keys;        // ContextKeysOf(*policy); by default every key
  Acl acl;                                // PrivateAcl(owner) unless set
  // ObjectWriter when the bucket has no ownership controls (as S3 without them).
  ObjectOwnership ownership = ObjectOwnership::kObjectWriter;
  bool has_ownership_controls = false;
  PublicAccessBlock block;
  bool has_public_access_block = false;

  bool acls_enabled() const { return ownership != ObjectOwnership::kBucketOwnerEnforced; }
};

// A user as access decisions see it.
struct UserAccess {
  std::string name;                       // = access key = canonical id
  std::shared_ptr<const Policy> policy;   // null: no identity policy
  Principal principal;                    // Principal::User(name, name), built once
  bool policy_reads_object_tags = false;  // ReadsObjectTags(*policy)
  ContextKeys policy_context_keys;        // ContextKeysOf(*policy); by default every key
};

// What the object a request addresses contributes: its ACL (and so its owner).
struct ObjectAccess {
  Acl acl;
};

struct AccessRequest {
  // Empty: anonymous. Root is decided by the caller (it is never asked here).
  const UserAccess* user = nullptr;
  std::string_view action;    // "s3:GetObject"
  std::string_view resource;  // "arn:aws:s3:::b/k", "arn:aws:s3:::b" or "*"
  // The bucket the resource lies in; null for service actions, or when it does not exist.
  const BucketAccess* bucket = nullptr;
  // Fills the condition keys of the request; called at most once, and only when a policy
  // with conditions is evaluated.
  std::function<void(RequestContext*)> conditions;
  // Loads the addressed object's ACL; called only when an object ACL could decide (ACLs
  // enabled and nothing else allowed). Returns null when the object does not exist.
  std::function<std::shared_ptr<const ObjectAccess>()> object;
};

// Whether a bucket policy grants anything to everyone: an Allow whose principal is "*"
// (or a NotPrincipal) without a condition that pins the caller to fixed values
// (aws:SourceIp in a network narrower than /8 IPv4 or /32 IPv6, aws:username, aws:userid,
// aws:PrincipalArn, aws:PrincipalAccount, aws:SourceArn, aws:SourceAccount).
bool IsPublicPolicy(const Policy& policy);

// The condition keys the policy reads (needed = false when it reads none; all when it
// holds policy variables, which may name any key).
ContextKeys ContextKeysOf(const Policy& policy);

// Whether a condition of the policy reads s3:ExistingObjectTag/<key> (the object's tags
// are then read before the decision).
bool ReadsObjectTags(const Policy& policy);

Decision Decide(const AccessRequest& request);

}  // namespace kumo::policy
