// The one place where an ErrorCode becomes an HTTP status and an S3 error code string,
// and where the S3 error XML document is rendered. Thread-safe (pure).
#pragma once

#include <string_view>

#include "common/status.h"
#include "s3/response.h"

namespace kumo::s3 {

struct S3ErrorInfo {
  int http_status;
  std::string_view code;  // e.g. "NoSuchKey"
};

S3ErrorInfo ErrorInfoFor(ErrorCode code);

// <Error><Code/><Message/><Resource/><RequestId/></Error>; for HEAD requests the body is
// omitted, as S3 does.
Response ErrorResponse(const Status& status, std::string_view resource, std::string_view request_id,
                       bool is_head);

}  // namespace kumo::s3
