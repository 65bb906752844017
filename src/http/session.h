// One HTTP/1.1 connection: reads request heads, streams bodies into the handler's exchange and
// writes responses, with keep-alive and per-phase timeouts; over TLS, the handshake comes
// first (within the header timeout) and a close_notify exchange last. Internal to
// src/http.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>

#include "http/server.h"

namespace kumo::http {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Copied into each session.
struct SessionShared {
  const ServerOptions* options;
  HttpHandler* handler;
  boost::asio::thread_pool* blocking;
  std::atomic<bool>* stopping;
  std::atomic<int>* busy;
  std::atomic<int>* open;  // sessions running: counted by RunSession
  // TlsStream sessions: the certificate this connection was accepted with (it outlives
  // a reload for as long as the connection lasts).
  std::shared_ptr<const TlsCertificate> tls;
};

// Serves one accepted connection until it closes. Stream is PlainStream or TlsStream
// (the only two instantiations).
template <class Stream>
boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket, SessionShared shared);

}  // namespace kumo::http
