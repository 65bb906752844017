// What the HTTP transport (src/http) calls for each request, knowing nothing of the
// protocol behind it, the way Beast's example sessions call handle_request: S3 and the
// /_kumo/ endpoints are two handlers behind one (server/request_router.h).
//
// For each request the session calls Begin() with the request head, streams the body
// into Feed() when wants_body(), and calls Finish() for the response — on the blocking
// pool when blocking(), else on its I/O thread.
// [Threading] A handler is thread-safe; an exchange is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/http_request.h"
#include "common/http_response.h"
#include "common/status.h"

namespace kumo {

// The fields of one access-log line the transport cannot know.
struct AccessLogFields {
  std::string_view method;
  std::string_view bucket;
  std::string_view key;
  std::string_view request_id;
  uint64_t body_bytes = 0;  // decoded request body bytes
  bool log = true;          // false: not worth a line (health probes)
};

class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  // True when the session must read the request body and Feed it. False when the
  // response is decided without it (errors found in the head, or no body expected):
  // the session then discards any body (or closes the connection).
  virtual bool wants_body() const = 0;
  // The declared raw body length, or -1 when unknown (chunked transfer encoding).
  virtual int64_t expected_raw_length() const = 0;
  // Raw body bytes in order. An error stops the upload; Finish renders it.
  virtual Status Feed(std::string_view raw) = 0;
  // Whether Finish may block (a synced commit, an admin call): it then runs on the
  // blocking pool.
  virtual bool blocking() const = 0;
  // transport: OK when the body arrived complete, else why it did not (client closed,
  // timeout). Returns the response to send.
  virtual HttpResponse Finish(Status transport) = 0;
  virtual AccessLogFields access_log() const = 0;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual std::unique_ptr<HttpExchange> Begin(HttpRequest request) = 0;
};

}  // namespace kumo
