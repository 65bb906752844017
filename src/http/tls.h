// A server certificate chain and private key, loaded from PEM files into a TLS context
// (TLS 1.2 and 1.3 only, OpenSSL's default ciphers). A loaded TlsCertificate never
// changes: a reload loads a new one and hands it to Server::SetTlsCertificate, and each
// connection keeps the one it was accepted with. This header keeps Asio and OpenSSL out
// of its includers.
//
// [Threading] Load may run on any thread; a loaded TlsCertificate is immutable and may be
// shared by any number of connections on any threads.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace kumo::http {

class TlsCertificate {
 public:
  // Reads the certificate chain (leaf first) from cert_file and its private key from
  // key_file, both PEM. Errors: kInvalidArgument naming the file and the reason (missing,
  // unreadable, not PEM, key does not match the certificate). An expired certificate
  // loads (expired() tells), so that a server can start and be told a new one.
  static Result<std::shared_ptr<const TlsCertificate>> Load(const std::string& cert_file,
                                                            const std::string& key_file);
  ~TlsCertificate();
  TlsCertificate(const TlsCertificate&) = delete;
  TlsCertificate& operator=(const TlsCertificate&) = delete;

  // The leaf certificate's subject (RFC 2253, e.g. "CN=localhost,O=Kumo"), its notAfter
  // (e.g. "Jan  1 00:00:00 2030 GMT"), and whether that is in the past.
  const std::string& subject() const;
  const std::string& not_after() const;
  bool expired() const;

  // The context new connections handshake with. Internal to src/http.
  boost::asio::ssl::context& context() const;

 private:
  struct Impl;
  explicit TlsCertificate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::http
