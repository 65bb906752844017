// The limits S3 puts on an object's (and a bucket's) tag set, shared by the S3 tagging calls
// (s3/tagging.h) and the plugin host API (events/plugin_host.cc). Pure functions.
//
// As S3 applies them: at most 10 tags (more is 400 BadRequest "Object tags cannot be
// greater than 10"); keys unique, 1 to 128 and values 0 to 256 Unicode characters
// counted in UTF-16 code units, made of Unicode letters, numbers and space separators and
// _ . : / = + - @ (IAM's pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]); keys not prefixed with
// "aws:". Any other violation is 400 InvalidTag. Outside Latin-1 the letter/number/
// separator classes are approximated: every code point is accepted but those of the
// punctuation, symbol, emoji and private-use blocks in object_tags.cc.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo {

constexpr size_t kMaxObjectTags = 10;
constexpr size_t kMaxBucketTags = 50;
constexpr size_t kMaxTagKeyLength = 128;    // UTF-16 code units
constexpr size_t kMaxTagValueLength = 256;  // UTF-16 code units

// Checks a tag set against the limits above, in S3's order (each tag in turn, then the
// count), and sorts it by key: S3 returns tags in key order.
// Errors: kInvalidTag, kBadRequest (more than 10 tags).
Status ValidateTags(StringPairs* tags);
// The same rules for a bucket's tag set (PutBucketTagging), which may hold 50 tags.
Status ValidateBucketTags(StringPairs* tags);

}  // namespace kumo
