#include "http/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace kumo::http {

namespace ssl = boost::asio::ssl;

struct TlsCertificate::Impl {
  Impl() : context(ssl::context::tls_server) {}
  ssl::context context;
  std::string subject;
  std::string not_after;
  bool expired = false;
};

namespace {

// A file that cannot be opened gets the system's reason ("No such file or directory"),
// clearer than OpenSSL's "system lib".
Status CheckReadable(const char* what, const std::string& path) {
  if (path.empty()) return Status::InvalidArgument(std::string(what).append(": no file set"));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidArgument(
        std::string(what).append(" ").append(path).append(": ").append(std::strerror(errno)));
  }
  return Status::OK();
}

Status SslError(const char* what, const std::string& path, const boost::system::error_code& ec) {
  return Status::InvalidArgument(
      std::string(what).append(" ").append(path).append(": ").append(ec.message()));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace

Result<std::shared_ptr<const TlsCertificate>> TlsCertificate::Load(const std::string& cert_file,
                                                                   const std::string& key_file) {
  KUMO_RETURN_IF_ERROR(CheckReadable("TLS certificate", cert_file));
  KUMO_RETURN_IF_ERROR(CheckReadable("TLS key", key_file));
  auto impl = std::make_unique<Impl>();
  ssl::context& ctx = impl->context;
  SSL_CTX* native = ctx.native_handle();
  // TLS 1.2 is the floor (RFC 8996 deprecates 1.0 and 1.1); the no_* options also cover
  // an OpenSSL built with a lower default minimum. Renegotiation is refused: it buys a
  // client nothing here and costs the server a handshake per request.
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return Status::Internal("cannot set the TLS minimum version");
  }
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                  ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);

  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) return SslError("TLS certificate", cert_file, ec);
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    return Status::InvalidArgument(std::string("TLS key ")
                                       .append(key_file)
                                       .append(" does not match the certificate ")
                                       .append(cert_file));
  }
  if (ec) return SslError("TLS key", key_file, ec);
  if (SSL_CTX_check_private_key(native) != 1) {
    return Status::InvalidArgument(std::string("TLS key ")
                                       .append(key_file)
                                       .append(" does not match the certificate ")
                                       .append(cert_file));
  }

  X509* leaf = SSL_CTX_get0_certificate(native);
  if (leaf == nullptr) {
    return Status::InvalidArgument(
        std::string("TLS certificate ").append(cert_file).append(": no certificate"));
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> subject(BIO_new(BIO_s_mem()), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> not_after(BIO_new(BIO_s_mem()), &BIO_free);
  if (subject && not_after) {
    X509_NAME_print_ex(subject.get(), X509_get_subject_name(leaf), 0, XN_FLAG_RFC2253);
    ASN1_TIME_print(not_after.get(), X509_get0_notAfter(leaf));
    impl->subject = BioText(subject.get());
    impl->not_after = BioText(not_after.get());
  }
  impl->expired = X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0;
  return std::shared_ptr<const TlsCertificate>(new TlsCertificate(std::move(impl)));
}

TlsCertificate::TlsCertificate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsCertificate::~TlsCertificate() = default;

const std::string& TlsCertificate::subject() const { return impl_->subject; }
const std::string& TlsCertificate::not_after() const { return impl_->not_after; }
bool TlsCertificate::expired() const { return impl_->expired; }
ssl::context& TlsCertificate::context() const { return impl_->context; }

}  // namespace kumo::http
