// Dispatcher internals: the state of one handler's worker and of its delivery lanes.
// Included only by the dispatcher's own .cc files.
//
// [Locking] Lock order: Worker::mu before Worker::lanes_mu; a Lane's deliver_mu is held
// only around Handler::Deliver, with no other lock.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/latency_histogram.h"
#include "events/dispatcher.h"
#include "events/handler.h"

namespace kumo::events {

// handler.Deliver, with an exception turned into a failed (retryable) attempt: a handler
// that throws fails its event (retried, then dead-lettered), never the loop. Plugins'
// own exceptions stop in their C++ wrapper; this catches the host side's.
DeliveryResult DeliverCatching(Handler& handler, const storage::EventRecord& record,
                               const std::string& payload);

struct Dispatcher::LaneItem {
  storage::EventRecord record;
  uint64_t generation = 0;  // Worker::generation when handed out
};

// One delivery lane: the events whose (bucket, key) map to it, delivered in order. A
// handler of concurrency 1 has one lane and no lane thread: its worker delivers.
struct Dispatcher::Lane {
  explicit Lane(uint64_t seed) : rng(seed) {}

  // Held around every Handler::Deliver of this lane's keys, whoever delivers (the lane,
  // RetryDeadLetter, a test event): one key never sees two deliveries at once.
  std::mutex deliver_mu;
  std::mt19937_64 rng;  // backoff jitter; used by the thread delivering the lane's events
  // The Handler::Deliver in progress, for the slow-delivery watchdog and HandlerStats:
  // its start (NowMillis; 0 when none) and its event.
  std::atomic<int64_t> delivery_started_ms{0};
  std::atomic<uint64_t> delivery_seq{0};
  uint64_t warned_seq = 0;  // the slow delivery last logged; the watchdog's own
  // Laned delivery only (concurrency > 1):
  std::condition_variable cv;  // with Worker::lanes_mu: events queued, or stopping
  std::deque<LaneItem> queue;  // GUARDED_BY(Worker::lanes_mu)
  std::thread thread;          // joined by the worker thread
};

struct Dispatcher::Worker {
  explicit Worker(std::unique_ptr<Handler> h) : handler(std::move(h)), rng(std::random_device{}()) {
    const int n = std::clamp(handler->concurrency(), 1, kMaxHandlerConcurrency);
    for (int i = 0; i < n; ++i) lanes.push_back(std::make_unique<Lane>(rng()));
  }

  Lane& LaneFor(const storage::EventRecord& r) {
    return *lanes[DeliveryLane(r.bucket, r.key, lanes.size())];
  }
  // The cursor the lanes' progress allows: one below the lowest unsettled sequence.
  uint64_t SettledCursorLocked() const {  // REQUIRES(lanes_mu)
    return unsettled.empty() ? handed_out : *unsettled.begin() - 1;
  }

  std::unique_ptr<Handler> handler;
  std::thread thread;
  std::mt19937_64 rng;  // lane seeds, test event request ids; worker thread only
  std::vector<std::unique_ptr<Lane>> lanes;  // the handler's concurrency; fixed

  std::mutex mu;
  std::optional<uint64_t> replay_cursor;    // GUARDED_BY(mu): set by Replay
  std::deque<std::string> test_buckets;     // GUARDED_BY(mu): pending s3:TestEvents
  std::atomic<bool> replay_pending{false};  // set under mu and lanes_mu

  // Laned delivery (concurrency > 1): what the worker handed to the lanes.
  std::mutex lanes_mu;
  std::condition_variable settled_cv;  // a lane settled an event; Replay; Stop
  std::set<uint64_t> unsettled;        // GUARDED_BY(lanes_mu): handed out, not settled
  uint64_t handed_out = 0;             // GUARDED_BY(lanes_mu): every sequence <= it was handed out
                                       // or needs no delivery
  uint64_t generation = 0;             // GUARDED_BY(lanes_mu): bumped by each replay; a lane's
                                       // settlement of an older generation is ignored

  std::atomic<uint64_t> cursor{0};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed_attempts{0};
  std::atomic<uint64_t> dead_lettered{0};
  std::atomic<uint64_t> faults{0};

  // Outage of the handler's target (dispatcher_outage.cc). started_ms may come from a
  // previous run (event_state OutageKey) before this run has seen the target fail.
  std::atomic<int64_t> unavailable_since_ms{0};  // 0: available
  std::atomic<int64_t> outage_started_ms{0};     // 0: no outage recorded
  std::atomic<Lane*> prober{nullptr};            // the lane probing while unavailable
  std::mutex outage_mu;
  std::string unavailable_reason;  // GUARDED_BY(outage_mu)

  // "delivered" outcomes of the worker's own deliveries, written in one batch by
  // FlushOutcomes: one index write per event would queue behind the PUTs' synced
  // commits in RocksDB's write thread and slow them.
  std::mutex outcomes_mu;
  std::vector<std::pair<std::string, std::string>> pending_outcomes;  // GUARDED_BY(outcomes_mu)
  std::chrono::steady_clock::time_point last_outcome_flush;  // used by the worker thread only
  // HandlerStats::dispatch_latency. Events up to untimed_through may have been delivered
  // before (by an earlier process, or before a Replay): their deliveries are not timed.
  LatencyHistogram dispatch_latency;
  std::atomic<uint64_t> untimed_through{0};
};

}  // namespace kumo::events
