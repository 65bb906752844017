#include "http_post.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <exception>
#include <optional>

namespace kumo::notify {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kBodyHeadBytes = 256;
constexpr uint64_t kResponseBodyLimit = 64 * 1024;

using Request = http::request<http::string_body>;

// The first max bytes of a receiver's body, cut before a UTF-8 character the limit would
// split (kumod replaces whatever else is ill-formed when it records the reason).
std::string BodyHead(const std::string& body, size_t max) {
  if (body.size() <= max) return body;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return body.substr(0, cut);
}

template <class Stream>
asio::awaitable<void> Exchange(Stream& stream, Request& request, HttpPostResult* out) {
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  out->status = static_cast<int>(parser.get().result_int());
  out->body_head = BodyHead(parser.get().body(), kBodyHeadBytes);
}

bool IsIpAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct HttpPoster::Impl {
  HttpEndpoint endpoint;
  std::string host_header;
  std::optional<asio::ssl::context> tls;

  asio::awaitable<void> Run(Request& request, std::chrono::milliseconds timeout,
                            HttpPostResult* out) const {
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    auto endpoints =
        co_await resolver.async_resolve(endpoint.host, endpoint.port, asio::use_awaitable);
    if (!tls) {
      beast::tcp_stream stream(executor);
      stream.expires_after(timeout);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      co_await Exchange(stream, request, out);
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      co_return;
    }
    // const_cast: an SSL stream takes a mutable context but only reads it.
    beast::ssl_stream<beast::tcp_stream> stream(executor, const_cast<asio::ssl::context&>(*tls));
    if (!IsIpAddress(endpoint.host) &&
        !SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str())) {
      throw boost::system::system_error(
          boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                    asio::error::get_ssl_category()),
          "SNI");
    }
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback([this](bool preverified, asio::ssl::verify_context& ctx) {
      bool ok = asio::ssl::host_name_verification(endpoint.host)(preverified, ctx);
      // A trusted certificate refused for its name: record why, for the error message.
      if (preverified && !ok)
        X509_STORE_CTX_set_error(ctx.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
      return ok;
    });
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    try {
      co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    } catch (const boost::system::system_error&) {
      // Say why the certificate was refused, not just that it was.
      long verify = SSL_get_verify_result(stream.native_handle());
      if (verify == X509_V_OK) throw;
      out->error =
          std::string("TLS: ") + X509_verify_cert_error_string(verify) + " (" + endpoint.host + ")";
      co_return;
    }
    co_await Exchange(stream, request, out);
    // No TLS close_notify exchange: the response is complete, and many receivers never
    // answer it. The connection is simply closed.
  }
};

bool ParseHttpEndpoint(std::string_view url, HttpEndpoint* out, std::string* error) {
  auto fail = [&](const char* why) {
    *error = std::string(why).append(": ").append(url);
    return false;
  };
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail("not an absolute URL");
  const auto& u = *parsed;
  HttpEndpoint e;
  if (u.scheme() == "https") {
    e.tls = true;
  } else if (u.scheme() != "http") {
    return fail("endpoint must be http:// or https://");
  }
  if (u.has_userinfo() || u.has_fragment()) {
    return fail("endpoint must not have user info or a fragment");
  }
  e.host = u.host_address();
  if (e.host.empty()) return fail("endpoint has no host");
  e.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : (e.tls ? "443" : "80");
  e.target = u.encoded_target();
  if (e.target.empty() || e.target.front() != '/') e.target.insert(0, "/");
  *out = std::move(e);
  return true;
}

std::unique_ptr<HttpPoster> HttpPoster::Create(std::string_view url, std::string* error) {
  HttpEndpoint endpoint;
  if (!ParseHttpEndpoint(url, &endpoint, error)) return nullptr;
  auto impl = std::make_unique<Impl>();
  bool default_port = endpoint.port == (endpoint.tls ? "443" : "80");
  bool ipv6 = endpoint.host.find(':') != std::string::npos;
  impl->host_header = ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
  if (!default_port) impl->host_header += ":" + endpoint.port;
  if (endpoint.tls) {
    try {
      impl->tls.emplace(asio::ssl::context::tls_client);
      impl->tls->set_default_verify_paths();
      impl->tls->set_verify_mode(asio::ssl::verify_peer);
    } catch (const std::exception& e) {
      *error = "cannot set up TLS for " + std::string(url) + ": " + e.what();
      return nullptr;
    }
  }
  impl->endpoint = std::move(endpoint);
  return std::unique_ptr<HttpPoster>(new HttpPoster(std::move(impl)));
}

HttpPoster::HttpPoster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpPoster::~HttpPoster() = default;

HttpPostResult HttpPoster::Post(const Headers& headers, const std::string& body,
                                int timeout_ms) const {
  HttpPostResult out;
  try {
    Request request(http::verb::post, impl_->endpoint.target, 11);
    request.set(http::field::host, impl_->host_header);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();

    const auto timeout = std::chrono::milliseconds(timeout_ms);
    asio::io_context io(1);
    bool done = false;
    std::exception_ptr failure;
    asio::co_spawn(io, impl_->Run(request, timeout, &out), [&](std::exception_ptr e) {
      done = true;
      failure = e;
    });
    // The stream's own deadline normally ends the exchange first, with a clean error;
    // this bounds the name resolution too.
    io.run_for(timeout + std::chrono::milliseconds(200));
    if (!done) {
      out.status = 0;
      out.error = "timed out after " + std::to_string(timeout_ms) + " ms";
    } else if (failure) {
      std::rethrow_exception(failure);
    }
  } catch (const boost::system::system_error& e) {
    out.status = 0;
    out.error = e.code() == beast::error::timeout
                    ? "timed out after " + std::to_string(timeout_ms) + " ms"
                    : e.code().message();
  } catch (const std::exception& e) {
    out.status = 0;
    out.error = e.what();
  }
  return out;
}

}  // namespace kumo::notify
