// The authorize stage of the request pipeline: between authentication and execution.
//
// NOT ACCESS CONTROL YET. Authorize allows every authenticated request; it does not read
// op.Permissions(), and no policy, ACL or bucket owner is consulted. Authentication
// (SigV4, or the signed POST form) is today the only gate. Checking every Permission an
// operation returns (issue 11, access control) is the next step, and it belongs here.
//
// Call sites: the service, after authentication and routing and before Prepare
// (service.cc); PostObject, which authenticates from its form, once the form has named
// the principal and the key (ops_post_object.cc).
// Thread-safe (no state).
#pragma once

#include "common/status.h"
#include "s3/operation.h"
#include "s3/request_context.h"

namespace kumo::s3 {

// Whether ctx.auth may run op on what ctx addresses. Today: always OK (see above).
// Errors, once implemented: kAccessDenied.
Status Authorize(const RequestContext& ctx, const Operation& op);

}  // namespace kumo::s3
