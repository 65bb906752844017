// Conditional request headers (If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since) evaluated as S3 does for GetObject/HeadObject, and the
// x-amz-copy-source-if-* family for CopyObject. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kumo::s3 {

struct Conditions {
  const std::string* if_match = nullptr;
  const std::string* if_none_match = nullptr;
  const std::string* if_modified_since = nullptr;
  const std::string* if_unmodified_since = nullptr;
};

// etag: unquoted; mtime_seconds: Last-Modified. Returns OK, kNotModified (304) or
// kPreconditionFailed (412), following RFC 7232 precedence as S3 applies it: If-Match
// true overrides a false If-Unmodified-Since; If-None-Match false -> 304 (GET/HEAD)
// regardless of If-Modified-Since.
Status EvaluateConditions(const Conditions& c, std::string_view etag, int64_t mtime_seconds);

// For copy sources every failure is 412 PreconditionFailed.
Status EvaluateCopySourceConditions(const Conditions& c, std::string_view etag,
                                    int64_t mtime_seconds);

// True when an If-Match/If-None-Match list contains the etag (quotes optional, "*").
bool EtagListMatches(std::string_view list, std::string_view etag);

}  // namespace kumo::s3
