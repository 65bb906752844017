// The rules an object write must follow, whoever writes it: the S3 operations (src/s3)
// and functions through the plugin host API (src/events/plugin_host.cc) apply the same
// ones, so an object a function writes reads back through any S3 client. Tag rules live
// beside these, in common/object_tags.h. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo {

constexpr size_t kMaxObjectKeyBytes = 1024;
// Names (without x-amz-meta-) plus values, in bytes: S3's measure of user metadata.
constexpr size_t kMaxUserMetadataBytes = 2048;
// What S3 stores when a write names no content type.
inline constexpr std::string_view kDefaultContentType = "binary/octet-stream";

// Non-empty, at most kMaxObjectKeyBytes, valid UTF-8 (XML and JSON carry keys; listings
// and events must be able to name every object). Errors: kKeyTooLongError,
// kInvalidArgument.
Status ValidateObjectKey(std::string_view key);

// User metadata within kMaxUserMetadataBytes; names are HTTP tokens, values carry no
// line break (both travel as x-amz-meta-* headers). Error: kMetadataTooLarge for the
// size, kInvalidArgument for a name or value.
Status ValidateUserMetadata(const StringPairs& metadata);

// User metadata as it is stored: names lower-cased (HTTP header names are
// case-insensitive, S3 reports them lower-case), then ValidateUserMetadata.
Status NormalizeUserMetadata(StringPairs* metadata);

// The content type stored for a write that gives `given` (none or empty:
// kDefaultContentType).
std::string StoredContentType(std::string_view given);

}  // namespace kumo
