// The result of one S3 operation: the transport's response type (common/http_response.h),
// by the names the S3 layer has always used.
#pragma once

#include "common/http_response.h"

namespace kumo::s3 {

using BodySource = kumo::BodySource;
using Response = kumo::HttpResponse;

}  // namespace kumo::s3
