// Synchronous Beast client for the kumo CLI (beast::tcp_stream, http::write/read).
#include "cli/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>

#include "common/hash.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::string_view kScheme = "http://";
constexpr uint64_t kMaxReplyBytes = 64ull << 20;
constexpr std::string_view kUserAgent = "kumo-cli/0.1";

bool ValidPort(std::string_view port) {
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value > 0 && value < 65536;
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("bad endpoint '" + std::string(url) + "': " + std::string(why));
  };
  if (url.rfind("https://", 0) == 0) return bad("https is not supported, use http://");
  if (url.rfind(kScheme, 0) != 0) return bad("expected http://HOST[:PORT]");
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return bad("no host");
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return bad("only http://HOST[:PORT] is accepted (no path, query or user info)");
  }

  Endpoint ep;
  ep.url = std::string(url);
  std::string_view host = rest;
  std::string_view port;
  if (rest.front() == '[') {  // [IPv6]:port
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad("unterminated '['");
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after ']'");
      port = after.substr(1);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  if (!port.empty() && !ValidPort(port)) return bad("bad port");
  ep.host = std::string(host);
  ep.port = port.empty() ? "80" : std::string(port);
  bool ipv6 = ep.host.find(':') != std::string::npos;
  ep.host_header = ipv6 ? "[" + ep.host + "]" : ep.host;
  if (ep.port != "80") ep.host_header += ":" + ep.port;
  return ep;
}

Result<HttpReply> SendSigned(const Endpoint& endpoint, const auth::SignInput& credentials,
                             std::string_view method, std::string_view path, int timeout_seconds,
                             std::string_view body) {
  HttpRequest signed_head;
  signed_head.method = std::string(method);
  signed_head.target = std::string(path);
  size_t q = path.find('?');
  signed_head.raw_path = std::string(path.substr(0, q));
  if (q != std::string_view::npos) signed_head.raw_query = std::string(path.substr(q + 1));
  signed_head.headers.emplace_back("host", endpoint.host_header);
  auth::SignInput input = credentials;
  input.payload_sha256 = Sha256Hex(body);
  auth::SignRequest(signed_head, input);

  http::request<http::string_body> req;
  req.version(11);
  req.method(http::string_to_verb(signed_head.method));
  req.target(signed_head.target);
  for (const auto& [name, value] : signed_head.headers) req.set(name, value);
  req.set(http::field::user_agent, kUserAgent);  // not signed, as the AWS SDKs do
  req.body() = std::string(body);
  req.prepare_payload();

  // Each step runs as an async operation on a private io_context so that the stream's
  // deadline applies: a kumod that stops answering fails the command instead of hanging.
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  auto fail = [&](std::string_view what) {
    return Status::IOError(std::string(what) + " " + endpoint.url + ": " + ec.message());
  };
  auto run = [&] {
    ioc.restart();
    ioc.run();
  };

  auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (ec) return fail("cannot resolve");
  stream.expires_after(std::chrono::seconds(timeout_seconds));
  stream.async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run();
  if (ec) return fail("cannot connect to");
  http::async_write(stream, req, [&](beast::error_code e, size_t) { ec = e; });
  run();
  if (ec) return fail("cannot send to");

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxReplyBytes);
  http::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
  run();
  if (ec) return fail("no complete reply from");

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto& res = parser.get();
  HttpReply reply;
  reply.status = static_cast<int>(res.result_int());
  reply.content_type = std::string(res[http::field::content_type]);
  reply.body = std::move(res.body());
  return reply;
}

}  // namespace kumo::cli
