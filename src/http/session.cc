#include "http/session.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/response_head.h"

namespace kumo::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Read buffer: small while only heads arrive; kReadBufferBytes while a chunked body is
// parsed from it; never more than kMaxReadBufferBytes, which also caps what Beast 1.81
// does not: the length of a chunk-size line with its extensions, and of the trailers.
constexpr size_t kHeadBufferBytes = 4 * 1024;
constexpr size_t kReadBufferBytes = 128 * 1024;
constexpr size_t kMaxReadBufferBytes = kReadBufferBytes;
// Request header fields at most (header_limit caps their bytes; this, the work per field).
constexpr size_t kMaxHeaderFields = 512;

// The per-connection body buffer, allocated on first use and not zero-filled: an idle
// connection holds none, and one that only ever reads small objects touches (and so
// costs) only the pages it uses.
class BodyBuffer {
 public:
  explicit BodyBuffer(size_t size) : size_(size) {}
  char* data() {
    if (!data_) data_.reset(new char[size_]);
    return data_.get();
  }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

template <class Stream>
awaitable<void> WriteStatusAndClose(Stream& stream, bhttp::status status) {
  bhttp::response<bhttp::string_body> res{status, 11};
  res.set(bhttp::field::connection, "close");
  res.prepare_payload();
  co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
}

HttpRequest ToHttpRequest(const bhttp::request_parser<bhttp::buffer_body>& parser,
                          const std::string& remote) {
  const auto& msg = parser.get();
  HttpRequest r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  size_t q = r.target.find('?');
  r.raw_path = r.target.substr(0, q);
  if (q != std::string::npos) r.raw_query = r.target.substr(q + 1);
  // Sized to the actual field count: a fixed reserve(16) is a 1 KiB block, which glibc
  // serves from its large bins after consolidating every freed small chunk (a measurable
  // cost on each small request).
  r.headers.reserve(static_cast<size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view v = field.value();
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    r.headers.emplace_back(std::move(name), std::string(v));
  }
  r.remote_addr = remote;
  return r;
}

// Runs f() on the blocking pool and resumes the caller with its result.
template <class F, class R = std::invoke_result_t<F>>
awaitable<R> OnPool(asio::thread_pool& pool, F f) {
  co_return co_await asio::co_spawn(
      pool.get_executor(), [&]() -> awaitable<R> { co_return f(); }, asio::use_awaitable);
}

// Sets the deadline of the stream's next operations (a TLS stream's, on its TCP layer).
template <class Stream>
void ExpiresAfter(Stream& stream, int seconds) {
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(seconds));
}

template <class Stream>
Stream MakeStream(asio::ip::tcp::socket socket, const SessionShared& shared) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return Stream(std::move(socket), shared.tls->context());
  } else {
    return Stream(std::move(socket));
  }
}

}  // namespace

template <class Stream>
awaitable<void> RunSession(asio::ip::tcp::socket socket, SessionShared shared) {
  constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  // Counted up by the accept loop; down here, also when the frame is destroyed unrun.
  struct OpenGuard {
    std::atomic<int>* open;
    ~OpenGuard() { open->fetch_sub(1); }
  } open_guard{shared.open};
  const ServerOptions& opt = *shared.options;
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  Stream stream = MakeStream<Stream>(std::move(socket), shared);
  if constexpr (kTls) {
    // A client that connects and never finishes its handshake is held to the header
    // timeout, as one that never sends a request head.
    ExpiresAfter(stream, opt.header_timeout_seconds);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kUseTuple);
    if (ec) {
      spdlog::debug("TLS handshake with {} failed: {}", remote, ec.message());
      beast::get_lowest_layer(stream).close();
      co_return;
    }
  }
  beast::flat_buffer buffer(kMaxReadBufferBytes);
  buffer.reserve(kHeadBufferBytes);
  BodyBuffer body_buf(opt.body_buffer_bytes);
  bool first = true;

  for (;;) {
    if (shared.stopping->load()) break;
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(opt.header_limit_bytes);
    parser.body_limit(boost::none);  // the S3 layer enforces object size limits
    ExpiresAfter(stream, first ? opt.header_timeout_seconds : opt.idle_timeout_seconds);
    first = false;
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        co_await WriteStatusAndClose(stream, bhttp::status::request_header_fields_too_large);
      }
      break;
    }
    if (static_cast<size_t>(std::distance(parser.get().begin(), parser.get().end())) >
        kMaxHeaderFields) {
      co_await WriteStatusAndClose(stream, bhttp::status::request_header_fields_too_large);
      break;
    }
    auto started = std::chrono::steady_clock::now();
    shared.busy->fetch_add(1);
    struct BusyGuard {
      std::atomic<int>* busy;
      ~BusyGuard() { busy->fetch_sub(1); }
    } busy_guard{shared.busy};
    HttpRequest request = ToHttpRequest(parser, remote);
    request.tls = kTls;
    bool keep_alive = parser.get().keep_alive();
    std::unique_ptr<HttpExchange> exchange = shared.handler->Begin(std::move(request));
    HttpResponse response;
    Status transport;
    bool body_consumed = parser.is_done();
    const bool expects_continue =
        beast::iequals(parser.get()[bhttp::field::expect], "100-continue");
    {
      if (expects_continue && parser.is_done()) {
        // An empty body (Content-Length: 0) with Expect: 100-continue still gets its 100
        // before the final answer, as S3 answers: botocore keeps a final status it read
        // while waiting for the 100 and misreads the next response on the connection.
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        ExpiresAfter(stream, opt.body_timeout_seconds);
        auto [wec, wn] = co_await bhttp::async_write(stream, cont, kUseTuple);
        if (wec) break;
      }
      if (exchange->wants_body() && !parser.is_done()) {
        if (expects_continue) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          ExpiresAfter(stream, opt.body_timeout_seconds);
          auto [wec, wn] = co_await bhttp::async_write(stream, cont, kUseTuple);
          if (wec) break;
        }
        auto transport_error = [](const boost::system::error_code& ec) {
          return ec == beast::error::timeout
                     ? Status(ErrorCode::kRequestTimeout,
                              "Your socket connection to the server was not read from "
                              "or written to within the timeout period.")
                     : Status(ErrorCode::kIncompleteBody,
                              "The request body terminated unexpectedly");
        };
        const auto declared = parser.content_length();
        if (declared && !parser.chunked()) {
          // A Content-Length body (every S3 SDK sends one; aws-chunked is framed inside
          // it) is read from the socket straight into body_buf: through the parser, each
          // byte would be read into `buffer` first and copied out again. Bytes read past
          // the head are in `buffer` already; nothing past the body is read.
          uint64_t left = *declared;
          const size_t early = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
          if (early > 0) {
            transport = exchange->Feed(
                std::string_view(static_cast<const char*>(buffer.data().data()), early));
            buffer.consume(early);
            left -= early;
          }
          while (left > 0 && transport.ok()) {
            size_t want = static_cast<size_t>(std::min<uint64_t>(left, body_buf.size()));
            ExpiresAfter(stream, opt.body_timeout_seconds);
            auto [rec, rn] =
                co_await stream.async_read_some(asio::buffer(body_buf.data(), want), kUseTuple);
            if (rn > 0) {
              left -= rn;
              transport = exchange->Feed(std::string_view(body_buf.data(), rn));
            }
            if (rec && transport.ok()) transport = transport_error(rec);
            if (rec) break;
          }
          body_consumed = left == 0;
        } else {
          // Beast sizes each socket read by the buffer's free capacity (at least 512
          // bytes): without room reserved, a chunked body arrives in 512-byte reads.
          buffer.reserve(kReadBufferBytes);
          while (!parser.is_done()) {
            parser.get().body().data = body_buf.data();
            parser.get().body().size = body_buf.size();
            ExpiresAfter(stream, opt.body_timeout_seconds);
            auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
            if (rec == bhttp::error::need_buffer) rec = {};
            size_t got = body_buf.size() - parser.get().body().size;
            if (got > 0) {
              transport = exchange->Feed(std::string_view(body_buf.data(), got));
              if (!transport.ok()) break;
            }
            if (rec) {
              transport = transport_error(rec);
              break;
            }
          }
          body_consumed = parser.is_done();
        }
      }
      if (exchange->blocking()) {
        response = co_await OnPool(*shared.blocking,
                                   [&] { return exchange->Finish(std::move(transport)); });
      } else {
        response = exchange->Finish(std::move(transport));
      }
    }
    // A body we did not read (error before it, or an operation that takes none) cannot
    // be skipped reliably: close the connection after answering.
    if (!body_consumed) keep_alive = false;
    if (shared.stopping->load()) keep_alive = false;

    uint64_t length = response.content_length();
    ExpiresAfter(stream, opt.body_timeout_seconds);
    boost::system::error_code wec;
    // 204 and 304 carry no Content-Length; a HEAD's describes the body it would have had.
    const bool no_length = response.status == 204 || response.status == 304;
    const std::string head =
        RenderResponseHead(response.status, response.headers,
                           no_length ? std::nullopt : std::optional<uint64_t>(length), keep_alive);
    // Writes a part of the head (all of it, or none once sent) and a part of the body.
    auto write = [&](std::string_view head_part,
                     std::string_view body) -> awaitable<boost::system::error_code> {
      ExpiresAfter(stream, opt.body_timeout_seconds);
      // No empty buffer goes first: Beast's ssl_stream (its flat_stream) turns a sequence
      // that starts with one into a write of 0 bytes, which async_write takes for done.
      if (head_part.empty() || body.empty()) {
        auto one = asio::buffer(head_part.empty() ? body : head_part);
        auto [ec, written] = co_await asio::async_write(stream, one, kUseTuple);
        co_return ec;
      }
      std::array<asio::const_buffer, 2> buffers{asio::buffer(head_part), asio::buffer(body)};
      auto [ec, written] = co_await asio::async_write(stream, buffers, kUseTuple);
      co_return ec;
    };
    if (response.stream && !response.omit_body) {
      // A body that fits the buffer (small objects, the common case) is read before the
      // head is written, so head and body leave in one write: one syscall and one TCP
      // segment instead of two. Larger bodies send the head first, as soon as it is known.
      bool head_sent = length > body_buf.size();
      if (head_sent) wec = co_await write(head, {});
      uint64_t left = length;
      while (!wec && left > 0) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(left, body_buf.size()));
        auto got = response.stream->Read(body_buf.data(), want);
        if (!got.ok() || *got == 0) {
          spdlog::error("read failed mid-response: {}", got.status().ToString());
          // As for a large body: the client gets the head, then the connection closes.
          if (!head_sent) co_await write(head, {});
          wec = asio::error::broken_pipe;
          break;
        }
        left -= *got;
        wec = co_await write(head_sent ? std::string_view() : head,
                             std::string_view(body_buf.data(), *got));
        head_sent = true;
      }
      if (!wec && !head_sent) wec = co_await write(head, {});  // an empty body
    } else {
      wec = co_await write(head, response.omit_body ? std::string_view() : response.body);
    }

    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
    if (const AccessLogFields log = exchange->access_log(); log.log) {
      spdlog::info("{} {} bucket={} key={} status={} in={} out={} us={} id={}", log.method, remote,
                   log.bucket, log.key, response.status, log.body_bytes, length, micros,
                   log.request_id);
    }
    if (wec || !keep_alive) break;
  }
  if constexpr (kTls) {
    // close_notify both ways, briefly: a client that just closes its socket (most do)
    // ends it with stream_truncated or eof, which is as good.
    ExpiresAfter(stream, opt.tls_shutdown_timeout_seconds);
    auto [ec] = co_await stream.async_shutdown(kUseTuple);
    if (ec && ec != asio::ssl::error::stream_truncated && ec != asio::error::eof &&
        ec != beast::error::timeout) {
      spdlog::debug("TLS shutdown with {}: {}", remote, ec.message());
    }
  }
  boost::system::error_code ignored;
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  tcp.close();
}

template awaitable<void> RunSession<PlainStream>(asio::ip::tcp::socket socket,
                                                 SessionShared shared);
template awaitable<void> RunSession<TlsStream>(asio::ip::tcp::socket socket, SessionShared shared);

}  // namespace kumo::http
