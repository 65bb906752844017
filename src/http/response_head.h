// The status line and header block of an HTTP/1.1 response, rendered into one string.
// The session writes it together with the body in one write: Beast's serializer (one
// allocation per header field, a generic buffer-sequence machinery) cost more than all of
// the S3 layer's own work on a small GET.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/http_request.h"

namespace kumo::http {

// Headers are written in order; a name that comes again later is written once, with the
// last value (as setting a field twice does). Content-Length is written when given;
// "Connection: close" unless keep_alive. CR and LF in names and values become spaces, so
// nothing can end the head early (metadata can arrive through POST form fields).
std::string RenderResponseHead(int status, const StringPairs& headers,
                               std::optional<uint64_t> content_length, bool keep_alive);

}  // namespace kumo::http
