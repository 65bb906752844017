// HTTP Range header for GetObject: one byte range ("bytes=a-b", "bytes=a-",
// "bytes=-n"). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace kumo::s3 {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};

// Resolves a Range header against an object of object_size bytes.
// Returns std::nullopt when the header must be ignored (syntactically not a single byte
// range, e.g. multiple ranges or another unit: S3 then sends the whole object).
// Returns kInvalidRange when the range is satisfiable by syntax but not by the object
// (first byte past the end, or a zero-length suffix).
Result<std::optional<ByteRange>> ResolveRange(std::string_view header, uint64_t object_size);

}  // namespace kumo::s3
