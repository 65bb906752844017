// A response, independent of the transport and of the protocol that made it: status,
// headers and a body that is either a small string (XML, JSON) or a stream read from
// storage. Plain value; a BodySource is read by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo {

// Pulls response bytes, e.g. an object's range from storage. Read may block on disk.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Fills up to n bytes; returns the count, 0 at the end.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

struct HttpResponse {
  int status = 200;
  StringPairs headers;
  std::string body;                    // used when stream is null
  std::unique_ptr<BodySource> stream;  // streamed body of stream_length bytes
  uint64_t stream_length = 0;
  bool omit_body = false;  // HEAD: Content-Length describes the would-be body

  void Set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  uint64_t content_length() const { return stream ? stream_length : body.size(); }
};

}  // namespace kumo
