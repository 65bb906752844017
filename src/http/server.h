// The HTTP/1.1 front end: one io_context run by N threads, one coroutine per
// connection, request bodies streamed into the S3 exchange in bounded buffers, responses
// streamed from storage. Commits run on a separate blocking pool so that fsync never
// stalls the I/O threads. This header keeps Asio/Beast out of its includers (pimpl).
//
// [Threading] Start/Run/Stop may be called from different threads; Stop is safe from a
// signal-handling thread and is idempotent.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/http_request.h"
#include "common/status.h"
#include "s3/response.h"
#include "s3/service.h"

namespace kumo::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 9000;  // 0 picks a free port
  int io_threads = 0;    // 0: number of cores
  int blocking_threads = 32;
  uint32_t header_limit_bytes = 16 * 1024;
  int header_timeout_seconds = 30;  // to receive a complete request head
  int idle_timeout_seconds = 60;    // keep-alive connection with no request
  int body_timeout_seconds = 60;    // between two body reads / response writes
  size_t body_buffer_bytes = 256 * 1024;
  // Open connections at most; past it the accept loop waits for one to close (clients
  // wait in the listen backlog), so idle connections cannot exhaust memory or fds.
  int max_connections = 4096;
};

// Answers server-internal paths (/_kumo/...) before S3 routing; returns std::nullopt
// for anything else. Called on the blocking pool (it may write synced or deliver an
// event), except for GET /_kumo/health, which is called on an I/O thread.
using InternalHandler = std::function<std::optional<s3::Response>(const HttpRequest&)>;

class Server {
 public:
  Server(ServerOptions options, s3::S3Service* service, InternalHandler internal);
  ~Server();
  // Binds and listens. Errors: kIOError (address in use, ...).
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Serves until Stop(); returns once in-flight requests have finished.
  void Run();
  // Stops accepting, lets in-flight requests finish, closes idle connections.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::http
