// A minimal HTTP/1.1 receiver on a loopback port for the webhook tests: it accepts one
// connection per scripted status, records the raw request, and answers with that
// status (0: never answers, holds the connection until destroyed).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kumo::events::testing {

class HttpTestServer {
 public:
  explicit HttpTestServer(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 16);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpTestServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  // Waits for fd to be readable; false when stopping.
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void Serve() {
    for (int status : statuses_) {
      if (!WaitReadable(fd_)) return;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        if (!WaitReadable(c)) break;
        ssize_t n = ::read(c, buf, sizeof(buf));
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
        size_t head_end = req.find("\r\n\r\n");
        if (need == std::string::npos && head_end != std::string::npos) {
          size_t cl = req.find("Content-Length: ");
          size_t length =
              cl == std::string::npos ? 0 : std::strtoul(req.c_str() + cl + 16, nullptr, 10);
          need = head_end + 4 + length;
        }
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
      }
      if (status == 0) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      } else {
        std::string resp = "HTTP/1.1 " + std::to_string(status) +
                           " X\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope";
        (void)!::write(c, resp.data(), resp.size());
      }
      ::close(c);
    }
  }

  std::vector<int> statuses_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

}  // namespace kumo::events::testing
