// Request routing, two levels: the addressing (service / bucket / object, path-style or
// virtual-hosted) and then a table keyed on (level, method, subresource).
// Thread-safe (pure lookup over a constant table).
#pragma once

#include <memory>

#include "common/status.h"
#include "s3/operation.h"
#include "s3/request_context.h"

namespace kumo::s3 {

// Fills ctx.bucket and ctx.key from the path and Host (virtual-hosted style when
// options.domain is set). Errors: kInvalidURI on a malformed escape.
Status ResolveAddressing(RequestContext& ctx);

// Picks the operation for ctx. Errors: kNotImplemented for a known S3 subresource Kumo
// does not serve, kMethodNotAllowed for a method not defined on the resource.
Result<std::unique_ptr<Operation>> Route(const RequestContext& ctx);

}  // namespace kumo::s3
