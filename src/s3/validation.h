// Naming and size rules S3 enforces on requests. Pure functions.
#pragma once

#include <string_view>

#include "common/status.h"

namespace kumo::s3 {

constexpr size_t kMaxKeyBytes = 1024;
constexpr size_t kMaxUserMetadataBytes = 2048;

// S3 general-purpose bucket naming rules: 3-63 chars of a-z 0-9 . -, starting and ending
// with a letter or digit, no "..", not an IPv4 address, no "xn--" prefix, no "-s3alias"
// or "--ol-s3" suffix. Error: kInvalidBucketName.
Status ValidateBucketName(std::string_view name);
// Non-empty, at most 1024 bytes, valid UTF-8. Errors: kKeyTooLongError, kInvalidArgument.
Status ValidateObjectKey(std::string_view key);

}  // namespace kumo::s3
