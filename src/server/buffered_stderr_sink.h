// A spdlog sink that gathers log lines in memory and writes them to stderr in large
// writes. spdlog's own stderr sinks flush (one write(2)) per line; with the access log on,
// that is a syscall on every request (about 6% of a small GET's server CPU). main.cc
// uses this sink when stderr is not a terminal, flushes it every second and at once for
// warnings and errors, and at exit.
#pragma once

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>

namespace kumo::server {

class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BufferedStderrSink() { buffer_.reserve(kFlushBytes + 4096); }
  ~BufferedStderrSink() override { WriteOut(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    buffer_.append(formatted.data(), formatted.size());
    if (buffer_.size() >= kFlushBytes) WriteOut();
  }
  void flush_() override { WriteOut(); }

 private:
  static constexpr size_t kFlushBytes = 64 * 1024;

  void WriteOut() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // nowhere to report a failing stderr; drop the lines
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

  std::string buffer_;  // GUARDED_BY(base_sink::mutex_)
};

}  // namespace kumo::server
