// Object tags (S3 object tagging): the <Tagging> XML document of PutObjectTagging and
// GetObjectTagging (also the `tagging` field of a POST upload form), the URL-query-encoded
// x-amz-tagging header of PutObject, CopyObject and CreateMultipartUpload, and the
// limits S3 puts on a tag set. Pure functions; thread-safe.
//
// The limits are those of common/object_tags.h.
#pragma once

#include <string>
#include <string_view>

#include "common/http_request.h"
#include "common/object_tags.h"
#include "common/status.h"
#include "s3/response.h"
#include "storage/object_meta.h"

namespace kumo::s3 {

using kumo::ValidateTags;

// Parses <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging> (namespace
// optional) and validates it; an empty TagSet is valid. Errors: kMalformedXML for a
// document that is not well-formed or lacks Tagging, TagSet, a Tag's Key or Value, or
// holds other elements; those of ValidateTags (ValidateBucketTags for a bucket's set).
enum class TagSetOf { kObject, kBucket };
Result<StringPairs> ParseTaggingXml(std::string_view body, TagSetOf of = TagSetOf::kObject);

// Parses an x-amz-tagging value, "k1=v1&k2=v2" with form URL-encoding ('+' is a
// space), and validates it. Empty pairs are skipped, and a key without '=' has the empty
// value. Errors: kInvalidArgument ("The header 'x-amz-tagging' shall be encoded as UTF-8
// then URLEncoded URL query parameters without tag name duplicates.") for a malformed
// escape, a pair with an empty key or more than one '=', invalid UTF-8 or a duplicate key;
// those of ValidateTags.
Result<StringPairs> ParseTaggingHeader(std::string_view value);

// The GetObjectTagging (and GetBucketTagging) document, with S3's namespace.
std::string RenderTaggingXml(const StringPairs& tags);

// Sets meta->tags from the request's x-amz-tagging header; leaves them unchanged when the
// header is absent. Errors: those of ParseTaggingHeader.
Status TagsFromRequest(const HttpRequest& request, storage::ObjectMeta* meta);

}  // namespace kumo::s3
