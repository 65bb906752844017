// The copy source of CopyObject and UploadPartCopy: parsing x-amz-copy-source,
// evaluating the x-amz-copy-source-if-* conditions, and streaming a byte range of the
// source into a writer. Not thread-safe per call; the functions hold no state.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "s3/operation.h"
#include "s3/request_context.h"
#include "storage/store.h"

namespace kumo::s3 {

struct CopySource {
  std::string bucket;
  std::string key;
};

// Parses "/bucket/key" or "bucket/key" (URL-encoded, optional "?versionId=").
// Errors: kInvalidArgument.
Result<CopySource> ParseCopySource(std::string_view header);

// Adds s3:GetObject on the x-amz-copy-source object to own (CopyObject, UploadPartCopy).
// Errors: those of own, kInvalidArgument for a missing or malformed header.
Result<std::vector<Permission>> WithCopySourcePermission(const RequestContext& ctx,
                                                         Result<std::vector<Permission>> own);

// Opens the source and checks the x-amz-copy-source-if-* headers of ctx.
// Errors: kNoSuchBucket, kNoSuchKey, kPreconditionFailed.
Result<std::unique_ptr<storage::ObjectReader>> OpenCopySource(const RequestContext& ctx,
                                                              const CopySource& source);

// Streams [first, first + length) of reader into append, returning the raw MD5.
Result<std::string> CopyRange(storage::ObjectReader& reader, uint64_t first, uint64_t length,
                              const std::function<Status(std::string_view)>& append);

}  // namespace kumo::s3
