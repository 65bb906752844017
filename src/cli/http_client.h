// The kumo CLI's HTTP transport: one SigV4-signed request per connection to a kumod
// endpoint, plain http:// only. Beast stays inside http_client.cc.
// Plain functions over values; thread-safe (each call has its own io_context).
#pragma once

#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "common/status.h"

namespace kumo::cli {

// Where kumod listens, split from an "http://host[:port][/]" URL.
struct Endpoint {
  std::string url;          // as given, for messages
  std::string host;         // for the resolver: no brackets around an IPv6 literal
  std::string port;         // "80" when the URL has none
  std::string host_header;  // value of the Host header: host, plus ":port" unless 80
};

// Parses an endpoint URL. Errors: kInvalidArgument for anything but http://host[:port]
// with an optional trailing '/' (https, paths, user info and bad ports are refused).
Result<Endpoint> ParseEndpoint(std::string_view url);

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Sends `method path` (path already percent-encoded, no query) with body (may be empty),
// signed with SigV4 by `credentials` (the body's SHA-256 signed too), and reads the whole
// reply.
// Any HTTP status is a successful Result; errors (kIOError) are transport failures:
// resolution, connection refused, a connection closed mid-reply, no complete reply
// within timeout_seconds. Blocks until done.
Result<HttpReply> SendSigned(const Endpoint& endpoint, const auth::SignInput& credentials,
                             std::string_view method, std::string_view path, int timeout_seconds,
                             std::string_view body = {});

}  // namespace kumo::cli
