// One keep-alive HTTP/1.1 connection of kumo-bench: sends a prebuilt request head and a
// body given as buffers (never copied), and reads the reply into a reusable scratch buffer.
// [Threading] A Connection belongs to one coroutine; it is not safe to use concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kumo::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// What came back. status 0 means a transport failure (connect, write, read, bad reply).
struct Reply {
  int status = 0;
  uint64_t body_bytes = 0;
  std::string error;  // transport error message when status == 0
};

// Optional captures of a reply; by default the body is read and discarded.
struct Capture {
  std::string* body = nullptr;  // appended to (e.g. XML of list and multipart replies)
  std::string* etag = nullptr;  // the ETag header
};

class Connection {
 public:
  // scratch_bytes: size of the buffer bodies are read into (and thrown away).
  Connection(net::any_io_executor executor, const tcp::resolver::results_type& endpoints,
             size_t scratch_bytes);

  // Sends head (request line and headers, ending in an empty line) followed by body, and
  // reads one reply. Connects first if needed; on any transport error or a reply that
  // asks to close, the connection is closed and the next call reconnects.
  net::awaitable<Reply> RoundTrip(std::string_view head, const std::vector<net::const_buffer>& body,
                                  Capture capture = {});

 private:
  net::awaitable<bool> EnsureConnected(Reply* reply);
  net::awaitable<void> ReadReply(Reply* reply, Capture capture);
  void Close();

  tcp::socket socket_;
  const tcp::resolver::results_type& endpoints_;
  boost::beast::flat_buffer buffer_;
  std::unique_ptr<char[]> scratch_;
  size_t scratch_bytes_;
  std::vector<net::const_buffer> write_buffers_;
};

}  // namespace kumo::bench
