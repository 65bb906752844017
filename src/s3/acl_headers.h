// The ACL a request asks for — a canned ACL (x-amz-acl, or PostObject's acl field) or
// explicit grants (x-amz-grant-read, -write, -read-acp, -write-acp, -full-control) — and
// the rules that decide whether a bucket takes it and who owns what a request writes:
// object ownership (ACLs off under BucketOwnerEnforced) and BlockPublicAcls.
// Parsing is pure; the checks read the store and the access cache. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_request.h"
#include "common/status.h"
#include "policy/access.h"
#include "s3/operation.h"
#include "s3/request_context.h"

namespace kumo::s3 {

struct RequestedAcl {
  std::string canned;                 // a valid canned ACL name; empty when grants are given
  std::vector<policy::Grant> grants;  // x-amz-grant-*, in header order

  // The ACL for a resource owned by owner in a bucket owned by bucket_owner: the canned
  // ACL, or the owner's FULL_CONTROL plus the grants.
  policy::Acl Resolve(const std::string& owner, std::string_view bucket_owner) const;
};

// A canned ACL by name. Errors: kInvalidArgument for an unknown name.
Result<RequestedAcl> CannedRequest(std::string_view name);

// The ACL the request's headers ask for; nullopt when they name none. Grant headers hold
// comma-separated grantees: id="<canonical id>", uri="<group URI>" or
// emailAddress="<address>" (quotes optional). Errors: kInvalidArgument for an unknown
// canned name, an empty or unparsable grant list, an unknown grantee type or group URI;
// kInvalidRequest for x-amz-acl together with a grant header;
// kUnresolvableGrantByEmailAddress for an email grantee. Canonical ids are checked by
// CheckGrantees.
Result<std::optional<RequestedAcl>> AclFromHeaders(const HttpRequest& http);

// Adds acl_action (s3:PutObjectAcl, s3:PutBucketAcl) on the resource of own's first entry
// when the request sets an ACL with x-amz-acl or x-amz-grant-*: S3 asks for both
// permissions then. The added permission is on a new resource (Permission::new_object):
// a policy may deny it, an ACL cannot, as the writer owns what it creates.
// Errors: those of own.
Result<std::vector<Permission>> WithAclPermission(const RequestContext& ctx,
                                                  Result<std::vector<Permission>> own,
                                                  std::string_view acl_action);

// Whether every canonical id the ACL grants to is a user (root included).
// Errors: kInvalidArgument "Invalid id"; kIOError.
Status CheckGrantees(const RequestContext& ctx, const policy::Acl& acl);

// Whether bucket takes acl for itself or one of its objects. Errors:
// kAccessControlListNotSupported when ACLs are off (BucketOwnerEnforced) and acl grants
// anything but FULL_CONTROL to its owner or the bucket owner; kAccessDenied when
// BlockPublicAcls is on and acl is public.
Status CheckAclAllowed(const policy::BucketAccess& bucket, const policy::Acl& acl);

// Who owns an object the request writes, and its stored ACL (ObjectMeta::acl).
struct NewObjectAcl {
  std::string owner;
  std::string acl;  // EncodeAcl; empty: the owner's FULL_CONTROL
};

// Decides the owner and ACL of an object written into ctx.bucket with requested (nullopt:
// no ACL asked for). The owner is the writer, except: the bucket owner under
// BucketOwnerEnforced, under BucketOwnerPreferred with bucket-owner-full-control, and for
// anonymous writers. Checks the grantees and CheckAclAllowed. A bucket that does not
// exist yields the writer and no ACL (the write answers NoSuchBucket).
Result<NewObjectAcl> AclForNewObject(const RequestContext& ctx,
                                     const std::optional<RequestedAcl>& requested);

}  // namespace kumo::s3
