#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "common/thread_name.h"
#include "http/session.h"

namespace kumo::http {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Impl {
  Impl(ServerOptions o, HttpHandler* h)
      : options(std::move(o)),
        handler(h),
        io(options.io_threads > 0 ? options.io_threads
                                  : static_cast<int>(std::thread::hardware_concurrency())),
        blocking(static_cast<size_t>(options.blocking_threads)),
        acceptor(io),
        tls_acceptor(io),
        tls_certificate(options.tls_certificate) {}

  // Sleeps on the accept loop's executor; false once the acceptor is closed.
  asio::awaitable<bool> Pause(tcp::acceptor& acceptor, std::chrono::milliseconds ms) {
    asio::steady_timer timer(co_await asio::this_coro::executor, ms);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return acceptor.is_open();
  }

  std::shared_ptr<const TlsCertificate> CurrentCertificate() {
    std::lock_guard<std::mutex> lock(tls_mu);
    return tls_certificate;
  }

  Status Listen(tcp::acceptor& a, const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return Status::InvalidArgument("bad listen address " + host);
    tcp::endpoint endpoint(address, port);
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::IOError(std::string("cannot listen on ")
                                 .append(host)
                                 .append(":")
                                 .append(std::to_string(port))
                                 .append(": ")
                                 .append(ec.message()));
    }
    return Status::OK();
  }

  // Accepts on `acceptor` until it closes; Stream is PlainStream or TlsStream.
  template <class Stream>
  asio::awaitable<void> Accept(tcp::acceptor& acceptor) {
    SessionShared shared{&options, handler, &blocking, &stopping, &busy, &open, {}};
    const int max_open = std::max(1, options.max_connections);
    auto backoff = std::chrono::milliseconds(0);
    auto last_warning = std::chrono::steady_clock::time_point();
    for (;;) {
      // At the cap, stop accepting until a connection closes: new clients wait in the
      // listen backlog instead of costing memory and a descriptor each.
      while (open.load() >= max_open) {
        if (!co_await Pause(acceptor, std::chrono::milliseconds(10))) co_return;
      }
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io),
                                                         asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        // Out of descriptors (EMFILE/ENFILE) or memory: accepting again at once would
        // spin and flood the log. Back off up to a second, warn at most every 10 s.
        backoff =
            std::clamp(backoff * 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
        auto now = std::chrono::steady_clock::now();
        if (now - last_warning > std::chrono::seconds(10)) {
          last_warning = now;
          spdlog::warn("accept failed: {} ({} connections open); retrying in up to 1 s",
                       ec.message(), open.load());
        }
        if (!co_await Pause(acceptor, backoff)) co_return;
        continue;
      }
      backoff = std::chrono::milliseconds(0);
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      // Each connection lives on its own strand, so its coroutine and the stream's
      // timeout timer never run concurrently on the io_context's threads.
      auto executor = socket.get_executor();
      // A TLS connection handshakes with the certificate current when it was accepted.
      if constexpr (std::is_same_v<Stream, TlsStream>) shared.tls = CurrentCertificate();
      open.fetch_add(1);  // RunSession counts it down
      asio::co_spawn(executor, RunSession<Stream>(std::move(socket), shared),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         spdlog::error("session ended by exception: {}", ex.what());
                       }
                     });
    }
  }

  ServerOptions options;
  HttpHandler* handler;
  asio::io_context io;
  asio::thread_pool blocking;
  tcp::acceptor acceptor;      // plain HTTP
  tcp::acceptor tls_acceptor;  // HTTPS
  std::mutex tls_mu;
  std::shared_ptr<const TlsCertificate> tls_certificate;  // GUARDED_BY(tls_mu)
  std::atomic<bool> stopping{false};
  std::atomic<int> busy{0};  // sessions between reading a request head and answering it
  std::atomic<int> open{0};  // sessions running
  std::thread stopper;
};

Server::Server(ServerOptions options, HttpHandler* handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() {
  Stop();
  if (impl_->stopper.joinable()) impl_->stopper.join();
  impl_->blocking.join();
}

Status Server::Start() {
  const ServerOptions& o = impl_->options;
  const bool tls = o.tls_certificate != nullptr;
  if (!o.plain && !tls) return Status::InvalidArgument("neither HTTP nor HTTPS is enabled");
  if (o.plain) KUMO_RETURN_IF_ERROR(impl_->Listen(impl_->acceptor, o.host, o.port));
  if (tls) KUMO_RETURN_IF_ERROR(impl_->Listen(impl_->tls_acceptor, o.tls_host, o.tls_port));
  if (o.plain) {
    asio::co_spawn(impl_->io, impl_->Accept<PlainStream>(impl_->acceptor), asio::detached);
  }
  if (tls) {
    asio::co_spawn(impl_->io, impl_->Accept<TlsStream>(impl_->tls_acceptor), asio::detached);
  }
  return Status::OK();
}

namespace {
uint16_t BoundPort(const tcp::acceptor& a) {
  boost::system::error_code ec;
  auto ep = a.local_endpoint(ec);
  return ec ? 0 : ep.port();
}
}  // namespace

uint16_t Server::port() const { return BoundPort(impl_->acceptor); }
uint16_t Server::tls_port() const { return BoundPort(impl_->tls_acceptor); }

void Server::SetTlsCertificate(std::shared_ptr<const TlsCertificate> certificate) {
  if (!certificate) return;
  std::lock_guard<std::mutex> lock(impl_->tls_mu);
  impl_->tls_certificate = std::move(certificate);
}

void Server::Run() {
  int n = impl_->options.io_threads > 0 ? impl_->options.io_threads
                                        : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i)
    threads.emplace_back([this] {
      SetThreadName("kumo-io");
      impl_->io.run();
    });
  impl_->io.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  if (impl_->stopping.exchange(true)) return;
  // Closing the acceptor ends the accept loop; sessions close after their current
  // request (they check `stopping`), and idle ones when their read is cancelled below.
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->tls_acceptor.close(ignored);
  });
  // Idle keep-alive sessions would wait for their idle timeout; instead the loop stops
  // as soon as no request is in flight (or after a bound, for stuck clients).
  impl_->stopper = std::thread([this] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (impl_->busy.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    impl_->io.stop();
  });
}

}  // namespace kumo::http
