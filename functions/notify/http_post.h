// A one-shot HTTP/1.1 POST client for the notify function's webhook targets: resolve, connect (TLS
// for https with certificate and host name verification against the system trust store, and SNI),
// send one request, read the status. Every step shares one deadline: the I/O runs as async
// operations on a private io_context, so the timeout really applies. Keeps Asio/Beast/OpenSSL out
// of its includers (pimpl).
//
// [Threading] One HttpPoster may be used from several threads: each Post has its own
// io_context and connection; the TLS context is only read.
// [Exceptions] None escape: failures are returned as values.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kumo::notify {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpEndpoint {
  bool tls = false;
  std::string host;    // name or address, without brackets
  std::string port;    // "80"/"443" when the URL has none
  std::string target;  // path and query, at least "/"
};

// Parses "http://host[:port][/path][?query]" or "https://...". Returns false with a
// reason in *error for other schemes, user info, a fragment or no host.
bool ParseHttpEndpoint(std::string_view url, HttpEndpoint* out, std::string* error);

struct HttpPostResult {
  int status = 0;         // the response status; 0 when there was no response
  std::string error;      // why there was no response (resolve, connect, TLS, timeout)
  std::string body_head;  // the first bytes of the response body
};

class HttpPoster {
 public:
  // Null, with a reason in *error, for a bad URL or when TLS cannot be set up.
  static std::unique_ptr<HttpPoster> Create(std::string_view url, std::string* error);
  ~HttpPoster();

  // POSTs body with the given headers (Host and Content-Length are added).
  HttpPostResult Post(const Headers& headers, const std::string& body, int timeout_ms) const;

 private:
  struct Impl;
  explicit HttpPoster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::notify
