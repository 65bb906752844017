// The load of kumo-bench: a RunContext shared by all workers of one phase, and Worker, one
// coroutine per connection that claims operations until the count or the deadline is
// reached. Operations: PUT, GET, DELETE (worker.cc), a ListObjectsV2 page (worker_list.cc),
// a whole multipart upload (worker_multipart.cc).
// With --rate (open loop), operation n is due at start + n / rate: the worker that claims
// it waits until then, and its latency counts from then, so time spent waiting for a free
// connection (the server falling behind) is measured rather than hidden.
// [Threading] RunContext::Claim is thread-safe (one atomic); everything else in a Worker is
// touched only by its own coroutine, and the io_context may run it on any of its threads.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/connection.h"
#include "bench/options.h"
#include "bench/request_builder.h"
#include "bench/stats.h"

namespace kumo::bench {

using Clock = std::chrono::steady_clock;

// Presigned path?query targets, indexed by key number (--presigned).
struct PresignedTargets {
  std::vector<std::string> put;
  std::vector<std::string> get;
  std::vector<std::string> del;
};

struct RunContext {
  RunContext(const Options& o, const std::vector<char>& p, const tcp::resolver::results_type& e)
      : options(o), payload(p), endpoints(e) {}

  const Options& options;
  const std::vector<char>& payload;  // random bytes; bodies are views of it, repeated
  const tcp::resolver::results_type& endpoints;
  std::string bucket_path;  // "/bucket/"
  std::string key_prefix;   // options.prefix, percent-encoded for paths
  const PresignedTargets* presigned = nullptr;
  Clock::time_point start;  // of the measured run
  Clock::time_point deadline = Clock::time_point::max();
  std::atomic<uint64_t> next{0};

  // Claims the next operation number and the time it is due (now, without --rate); false
  // once the count is used up or time is over (with --rate: the operation is due after
  // the deadline).
  bool Claim(uint64_t* seq, Clock::time_point* due) {
    const Clock::time_point now = Clock::now();
    if (now >= deadline) return false;
    *seq = next.fetch_add(1, std::memory_order_relaxed);
    if (options.count != 0 && *seq >= options.count) return false;
    *due = now;
    if (options.rate > 0) {
      *due = start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(*seq) / options.rate));
    }
    return *due < deadline;
  }
  // "/bucket/" + prefix + zero-padded key number.
  void ObjectPath(uint64_t key, std::string* out) const;
};

// What one operation achieved: on success, the object bytes moved and (list) keys seen.
struct Outcome {
  Reply reply;
  uint64_t bytes = 0;
  uint64_t keys = 0;
  bool ok() const { return reply.status >= 200 && reply.status < 300; }
};

class Worker {
 public:
  Worker(RunContext& ctx, net::any_io_executor executor, int id);

  net::awaitable<void> Run();
  const WorkerStats& stats() const { return stats_; }

 private:
  net::awaitable<Outcome> One(uint64_t seq);
  net::awaitable<Outcome> Put(uint64_t key, uint64_t size);
  net::awaitable<Outcome> Get(uint64_t key);
  net::awaitable<Outcome> Delete(uint64_t key);
  net::awaitable<Outcome> ListPage();
  net::awaitable<Outcome> Multipart(uint64_t key, uint64_t size);
  net::awaitable<Outcome> UploadPart(int number, uint64_t size, const std::string& upload_id,
                                     std::string* etag);

  // Points body_ at size bytes of the payload (repeating it when size is larger); with
  // --text-body, at a slice that depends on key, so objects differ.
  void SetBody(uint64_t size, uint64_t key = 0);

  RunContext& ctx_;
  Connection conn_;
  net::steady_timer timer_;  // --rate: waits for an operation's due time
  RequestBuilder builder_;
  std::mt19937_64 rng_;
  WorkerStats stats_;
  std::string path_;  // reused per request
  std::string head_;
  std::string xml_;                      // list and multipart reply bodies
  std::string continuation_;             // list: token of the next page, empty to restart
  std::vector<net::const_buffer> body_;  // views of ctx_.payload
  std::vector<net::const_buffer> no_body_;
};

}  // namespace kumo::bench
