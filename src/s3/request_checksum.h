// Which checksum a request declares for its body: one x-amz-checksum-<algorithm> header
// with the value, or one announced in x-amz-trailer (the value comes after an
// aws-chunked body), cross-checked with x-amz-sdk-checksum-algorithm. Shared by the
// body pipeline (which verifies it) and UploadPart (which checks it against the
// upload's algorithm before the body is read). Pure functions.
#pragma once

#include <optional>
#include <string>

#include "common/http_request.h"
#include "common/status.h"
#include "s3/checksum.h"

namespace kumo::s3 {

struct RequestChecksum {
  ChecksumAlgorithm algorithm;
  std::string value;  // base64, from the header; empty when it comes as a trailer
  bool trailer = false;
};

// nullopt when the request declares no checksum. x-amz-checksum-mode, -type and
// -algorithm are not checksums and are ignored. Errors, all kInvalidRequest with S3's
// messages: an unknown algorithm in a header name, x-amz-trailer or
// x-amz-sdk-checksum-algorithm; a value that is not the base64 of a digest of the
// algorithm's size; more than one checksum; x-amz-sdk-checksum-algorithm without a
// checksum or naming another algorithm than the checksum's.
Result<std::optional<RequestChecksum>> ParseRequestChecksum(const HttpRequest& request);

// True when the x-amz-checksum-* headers of the request describe its body. False for
// CompleteMultipartUpload, whose headers carry the whole object's checksum.
bool ChecksumHeadersDescribeBody(const HttpRequest& request, bool has_upload_id);

}  // namespace kumo::s3
