// Translation between an object's stored attributes and HTTP headers: which request
// headers a PUT stores (Content-Type, Content-Encoding, ..., x-amz-meta-*), and which
// response headers GET/HEAD return. Pure functions.
#pragma once

#include "common/status.h"
#include "s3/request_context.h"
#include "s3/response.h"
#include "storage/object_meta.h"

namespace kumo::s3 {

// Fills content type, system headers and user metadata from the request headers.
// Errors: kMetadataTooLarge when x-amz-meta-* exceed 2 KB.
Status AttributesFromRequest(const HttpRequest& request, storage::ObjectMeta* meta);

// Adds ETag, Last-Modified, Content-Type, the stored system headers, x-amz-meta-* and,
// when the object has tags, x-amz-tagging-count to r. with_checksums adds the stored
// x-amz-checksum-* headers and x-amz-checksum-type (COMPOSITE for a "<base64>-N" multipart
// checksum, else FULL_OBJECT).
void AddObjectHeaders(const storage::ObjectMeta& meta, bool with_checksums, Response* r);

std::string QuotedEtag(const std::string& etag);

}  // namespace kumo::s3
