// Dispatcher internals: the state of one handler's worker. Included only by the
// dispatcher's own .cc files.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "events/dispatcher.h"
#include "events/handler.h"

namespace kumo::events {

struct Dispatcher::Worker {
  explicit Worker(std::unique_ptr<Handler> h)
      : handler(std::move(h)), rng(std::random_device{}()) {}

  std::unique_ptr<Handler> handler;
  std::thread thread;
  // Held around every Handler::Deliver: the worker, RetryDeadLetter and test events
  // take turns, so a handler never sees two deliveries at once.
  std::mutex deliver_mu;
  std::mt19937_64 rng;  // backoff jitter; used by the worker thread only

  std::mutex mu;
  std::optional<uint64_t> replay_cursor;  // GUARDED_BY(mu): set by Replay
  std::deque<std::string> test_buckets;   // GUARDED_BY(mu): pending s3:TestEvents
  std::atomic<bool> replay_pending{false};

  std::atomic<uint64_t> cursor{0};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed_attempts{0};
  std::atomic<uint64_t> dead_lettered{0};
};

}  // namespace kumo::events
