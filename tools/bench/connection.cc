#include "bench/connection.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cstring>

namespace kumo::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using net::redirect_error;
using net::use_awaitable;

constexpr size_t kHeaderLimit = 64 * 1024;

}  // namespace

Connection::Connection(net::any_io_executor executor, const tcp::resolver::results_type& endpoints,
                       size_t scratch_bytes)
    : socket_(executor),
      endpoints_(endpoints),
      scratch_(new char[scratch_bytes]),
      scratch_bytes_(scratch_bytes) {}

void Connection::Close() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  buffer_.clear();
}

net::awaitable<bool> Connection::EnsureConnected(Reply* reply) {
  if (socket_.is_open()) co_return true;
  beast::error_code ec;
  buffer_.clear();
  co_await net::async_connect(socket_, endpoints_, redirect_error(use_awaitable, ec));
  if (ec) {
    reply->error = "connect: " + ec.message();
    Close();
    co_return false;
  }
  socket_.set_option(tcp::no_delay(true), ec);
  co_return true;
}

net::awaitable<Reply> Connection::RoundTrip(std::string_view head,
                                            const std::vector<net::const_buffer>& body,
                                            Capture capture) {
  Reply reply;
  if (!co_await EnsureConnected(&reply)) co_return reply;
  write_buffers_.clear();
  write_buffers_.push_back(net::buffer(head));
  write_buffers_.insert(write_buffers_.end(), body.begin(), body.end());
  beast::error_code ec;
  co_await net::async_write(socket_, write_buffers_, redirect_error(use_awaitable, ec));
  if (ec) {
    reply.error = "write: " + ec.message();
    Close();
    co_return reply;
  }
  co_await ReadReply(&reply, capture);
  co_return reply;
}

// Headers through Beast's parser; then, for a Content-Length body that is to be thrown
// away, plain socket reads straight into scratch_ (no copy through the parser), else the
// parser with a buffer_body pointing at scratch_.
net::awaitable<void> Connection::ReadReply(Reply* reply, Capture capture) {
  beast::error_code ec;
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(boost::none);
  co_await http::async_read_header(socket_, buffer_, parser, redirect_error(use_awaitable, ec));
  if (ec) {
    reply->error = "read header: " + ec.message();
    Close();
    co_return;
  }
  const auto& head = parser.get();
  reply->status = static_cast<int>(head.result_int());
  if (capture.etag != nullptr) capture.etag->assign(head[http::field::etag]);
  bool keep_alive = parser.keep_alive();

  auto length = parser.content_length();
  if (capture.body == nullptr && length && !parser.chunked()) {
    uint64_t remaining = *length;
    size_t buffered = std::min<uint64_t>(buffer_.size(), remaining);
    buffer_.consume(buffered);
    remaining -= buffered;
    reply->body_bytes = buffered;
    while (remaining > 0) {
      size_t want = std::min<uint64_t>(remaining, scratch_bytes_);
      size_t n = co_await socket_.async_read_some(net::buffer(scratch_.get(), want),
                                                  redirect_error(use_awaitable, ec));
      if (ec) break;
      remaining -= n;
      reply->body_bytes += n;
    }
  } else {
    while (!parser.is_done()) {
      parser.get().body().data = scratch_.get();
      parser.get().body().size = scratch_bytes_;
      co_await http::async_read(socket_, buffer_, parser, redirect_error(use_awaitable, ec));
      if (ec == http::error::need_buffer) ec = {};
      if (ec) break;
      size_t n = scratch_bytes_ - parser.get().body().size;
      reply->body_bytes += n;
      if (capture.body != nullptr) capture.body->append(scratch_.get(), n);
    }
  }
  if (ec) {
    reply->status = 0;
    reply->error = "read body: " + ec.message();
    Close();
  } else if (!keep_alive) {
    Close();
  }
}

}  // namespace kumo::bench
