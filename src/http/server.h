// The HTTP/1.1 front end: one io_context run by N threads, one coroutine per
// connection, request bodies streamed into the handler's exchange (common/http_handler.h) in
// bounded buffers, responses streamed from storage. Commits run on a separate blocking pool so that
// fsync never stalls the I/O threads. This header keeps Asio/Beast out of its includers (pimpl).
//
// Two listeners share the threads, the pools and the connection cap: plain HTTP and,
// when a certificate is given, HTTPS (http/tls.h); either may be off, not both.
//
// [Threading] Start/Run/Stop may be called from different threads; Stop is safe from a
// signal-handling thread and is idempotent. SetTlsCertificate may be called from any
// thread at any time after construction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/http_handler.h"
#include "common/http_request.h"
#include "common/status.h"
#include "http/tls.h"

namespace kumo::http {

struct ServerOptions {
  // The plain HTTP listener; off when plain is false.
  bool plain = true;
  std::string host = "127.0.0.1";
  uint16_t port = 9000;  // 0 picks a free port
  // The HTTPS listener, on when tls_certificate is set (it can be replaced while serving
  // with Server::SetTlsCertificate).
  std::shared_ptr<const TlsCertificate> tls_certificate;
  std::string tls_host = "127.0.0.1";
  uint16_t tls_port = 9443;              // 0 picks a free port
  int tls_shutdown_timeout_seconds = 2;  // to exchange close_notify when a connection ends
  int io_threads = 0;                    // 0: number of cores
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

class Server {
 public:
  // handler answers every request; it must outlive the server.
  Server(ServerOptions options, HttpHandler* handler);
  ~Server();
  // Binds and listens. Errors: kIOError (address in use, ...), kInvalidArgument (a bad
  // address, or both listeners off).
  Status Start();
  // The bound ports (after Start); 0 for a listener that is off.
  uint16_t port() const;
  uint16_t tls_port() const;
  // Connections accepted from now on handshake with `certificate`; those already open
  // keep the one they were accepted with. No effect when the HTTPS listener is off.
  void SetTlsCertificate(std::shared_ptr<const TlsCertificate> certificate);
  // Serves until Stop(); returns once in-flight requests have finished.
  void Run();
  // Stops accepting, lets in-flight requests finish, closes idle connections.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::http
