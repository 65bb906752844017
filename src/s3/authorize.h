// The authorize stage of the request pipeline: between authentication and execution, it
// decides for every operation whether the authenticated principal (or an anonymous
// caller) may run it, as Ceph RGW's verify_permission() does; operations never check
// rights themselves. Every Permission an operation names (operation.h) must be allowed by
// the access decision (policy/access.h): root always, else the bucket owner, the user's
// identity policy, the bucket policy and the ACLs, an explicit Deny winning.
//
// Call sites: the service, after authentication and routing and before Prepare
// (service.cc); PostObject, which authenticates from its form, once the form has named
// the principal and the key (ops_post_object.cc); DeleteObjects, whose keys are in its
// body, once per key (AuthorizeObject).
// Thread-safe (the access cache is).
#pragma once

#include <string_view>

#include "common/status.h"
#include "policy/access.h"
#include "s3/operation.h"
#include "s3/request_context.h"

namespace kumo::s3 {

// Whether ctx.auth may run op on what ctx addresses. A bucket that does not exist is left
// to the operation (NoSuchBucket), as S3 does. Errors: kAccessDenied ("Access Denied").
Status Authorize(const RequestContext& ctx, const Operation& op);

// One action on one object of ctx.bucket, for operations that name several objects.
// Errors: kAccessDenied.
Status AuthorizeObject(const RequestContext& ctx, std::string_view action, std::string_view key);

// The condition keys of the request (aws:SourceIp, s3:prefix, ...), as policies read them.
void FillConditionKeys(const RequestContext& ctx, const policy::UserAccess* user,
                       policy::RequestContext* out);

}  // namespace kumo::s3
