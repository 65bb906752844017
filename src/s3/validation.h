// Naming and size rules S3 enforces on requests. Pure functions.
#pragma once

#include <string_view>

#include "common/object_rules.h"
#include "common/status.h"

namespace kumo::s3 {

// S3 general-purpose bucket naming rules: 3-63 chars of a-z 0-9 . -, starting and ending
// with a letter or digit, no "..", not an IPv4 address, no "xn--" prefix, no "-s3alias"
// or "--ol-s3" suffix. Error: kInvalidBucketName.
Status ValidateBucketName(std::string_view name);
// Object keys and user metadata: kumo::ValidateObjectKey and kumo::ValidateUserMetadata
// (common/object_rules.h), shared with the plugin host.

}  // namespace kumo::s3
