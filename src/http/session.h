// One HTTP/1.1 connection: reads request heads, streams bodies into an S3 exchange and
// writes responses, with keep-alive and per-phase timeouts. Internal to src/http.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/server.h"

namespace kumo::http {

struct SessionShared {
  const ServerOptions* options;
  s3::S3Service* service;
  const InternalHandler* internal;
  boost::asio::thread_pool* blocking;
  std::atomic<bool>* stopping;
  std::atomic<int>* busy;
  std::atomic<int>* open;  // sessions running: counted by RunSession
};

boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket, SessionShared shared);

}  // namespace kumo::http
