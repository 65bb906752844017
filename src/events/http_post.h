// A one-shot HTTP/1.1 POST client for notification targets: resolve, connect (TLS for
// https with certificate and host name verification against the system trust store,
// and SNI), send one request, read the status. Every step shares one deadline: the
// I/O runs as async operations on a private io_context, so the timeout really applies.
// Keeps Asio/Beast/OpenSSL out of its includers (pimpl).
//
// [Threading] One HttpPoster may be used from several threads: each Post has its own
// io_context and connection; the TLS context is only read.
// [Exceptions] None escape: failures are returned as values.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo::events {

struct HttpEndpoint {
  bool tls = false;
  std::string host;    // name or address, without brackets
  std::string port;    // "80"/"443" when the URL has none
  std::string target;  // path and query, at least "/"
};

// Parses "http://host[:port][/path][?query]" or "https://...".
// Errors: kInvalidArgument (other schemes, user info, a fragment, no host).
Result<HttpEndpoint> ParseHttpEndpoint(std::string_view url);

struct HttpPostResult {
  int status = 0;         // the response status; 0 when there was no response
  std::string error;      // why there was no response (resolve, connect, TLS, timeout)
  std::string body_head;  // the first bytes of the response body
};

class HttpPoster {
 public:
  // Errors: kInvalidArgument for a bad URL; kInternalError when TLS cannot be set up.
  static Result<std::unique_ptr<HttpPoster>> Create(std::string_view url);
  ~HttpPoster();

  // POSTs body with the given headers (Host and Content-Length are added).
  HttpPostResult Post(const StringPairs& headers, const std::string& body, int timeout_ms) const;

 private:
  struct Impl;
  explicit HttpPoster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::events
