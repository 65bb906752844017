// Limits and small helpers shared by the multipart operations. Pure functions.
#pragma once

#include <string_view>

#include "common/status.h"
#include "s3/request_context.h"

namespace kumo::s3 {

constexpr int kMaxParts = 10000;

// Reads an integer query parameter within [min, max]; fallback when absent.
// Errors: kInvalidArgument.
Result<int> QueryInt(const RequestContext& ctx, std::string_view name, int fallback, int min,
                     int max);

}  // namespace kumo::s3
