// The event dispatcher of ARCHITECTURE §3: reads the transactional outbox and delivers
// each event to the handlers its bucket's notification configuration binds it to.
//
// Each handler has its own worker thread and its own durable cursor ("cursor/<name>" in
// the event-state space, see event_state.h), so a slow or failing handler delays
// neither the others nor any PUT (which only appends to the outbox). Delivery is
// at-least-once and in order per object key: the cursor only moves past an event once
// every event up to it is settled (delivered, dead-lettered, dropped, or not bound to
// the handler), and is persisted (a synced write) at most every cursor_persist_ms while
// it moves, and at stop; after a crash, events after the persisted cursor are delivered
// again. A failed
// delivery is retried with exponential backoff and full jitter up to max_attempts, then
// written as a dead letter; a permanent failure is dead-lettered at once. Every outcome
// is recorded per (event, handler). Events whose chain depth exceeds max_chain_depth are
// not dispatched (logged as a loop). A background thread trims events older than the
// retention.
//
// Concurrency (Handler::concurrency): a handler of concurrency 1 is delivered to by its
// worker thread, one event at a time in sequence order. A handler of concurrency N > 1
// gets N delivery lanes, threads owned by its worker: the worker reads the outbox and
// hands each bound event to lane DeliveryLane(bucket, key, N); each lane delivers its
// events in order, retries and backoff included, so one key's events stay ordered and a
// slow key only holds its own lane (and, through the in-flight bound of N batches, the
// others once that many events wait behind it). The cursor then stays one below the
// lowest event handed to a lane and not yet settled.
//
// [Threading] All public methods are thread-safe. Handler::Deliver is never called
// concurrently for one key: the deliveries of a lane (for concurrency 1, of the whole
// handler), RetryDeadLetter and test events of its keys take turns (the lane's
// deliver_mu). Different lanes deliver concurrently.
// [Lifetime] Stop (or the destructor) joins every thread; it returns within about half
// a second plus the longest Deliver in progress, even in the middle of a backoff.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/latency_histogram.h"
#include "common/status.h"
#include "events/bucket_rules.h"
#include "events/event_state.h"
#include "events/handler.h"
#include "storage/store.h"

namespace kumo::events {

struct DispatcherOptions {
  int max_attempts = 5;
  int64_t initial_backoff_ms = 200;
  int64_t max_backoff_ms = 30000;
  int64_t retention_ms = 7ll * 24 * 3600 * 1000;
  uint32_t max_chain_depth = 8;
  std::string region = "us-east-1";
  size_t batch = 256;
  int64_t trim_interval_ms = 10 * 60 * 1000;
  int64_t cursor_persist_ms = 100;
  // A delivery running longer than this is logged (once per event) as a warning: an
  // in-process function call cannot be interrupted, and the events of its lane wait.
  int64_t slow_delivery_warn_ms = 60 * 1000;
  // How long a target may be unavailable (DeliveryOutcome::kUnavailable) before its
  // events are failed like any other: retried up to max_attempts, then dead-lettered.
  // Until then the handler pauses and probes, backing off like retries do.
  int64_t outage_max_ms = 24ll * 3600 * 1000;
  // Bindings of the configuration file, added to each bucket's own rules.
  std::vector<StaticBinding> bindings;
};

struct HandlerStats {
  std::string name;
  std::string arn;
  uint64_t cursor = 0;
  uint64_t lag = 0;  // watermark - cursor: events not yet handled
  // Since start:
  uint64_t delivered = 0;
  uint64_t failed_attempts = 0;
  uint64_t dead_lettered = 0;
  // Exceptions caught in the handler's delivery loop (each logged; the event is retried).
  uint64_t faults = 0;
  // Commit to the start of the first delivery attempt, for the events first delivered
  // since start: not s3:TestEvents, Replay or RetryDeadLetter, nor the events already in
  // the outbox when the dispatcher started (their first attempt may have been earlier).
  LatencySnapshot dispatch_latency;
  // Age of the longest-running delivery in progress (0 when none).
  int64_t running_delivery_ms = 0;
  // When the handler's target became unavailable (0: available), and what it answered.
  int64_t unavailable_since_ms = 0;
  std::string unavailable_reason;
};

// The delivery lane, among `lanes` (a handler's concurrency), of the events of one
// object: FNV-1a-64(bucket + '\0' + key) % lanes.
size_t DeliveryLane(std::string_view bucket, std::string_view key, size_t lanes);

class Dispatcher {
 public:
  Dispatcher(storage::Store* store, DispatcherOptions options,
             std::vector<std::unique_ptr<Handler>> handlers);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Loads each handler's cursor (a handler seen for the first time starts at the
  // current watermark: it gets events from now on, and that cursor is persisted at
  // once), trims expired events, then starts the threads. Call once, after the store
  // is open and before S3 requests are served. Errors: the store's.
  Status Start();
  // Stops and joins every thread; idempotent. Call before the store closes.
  void Stop();

  // Whether arn names one of the handlers (the S3 layer's known_arn check).
  bool HasHandler(std::string_view arn) const;
  // Forgets the cached notification configuration of a bucket (call after setting it).
  void InvalidateBucket(const std::string& bucket);
  // Queues an s3:TestEvent for bucket to every handler with this ARN; sent by the
  // handler's worker, once, best effort (the outcome is only logged), before the events
  // the worker reads after it (which, for concurrency > 1, is after the events already
  // handed to lanes).
  void SendTestEvent(const std::string& arn, const std::string& bucket);

  std::vector<HandlerStats> Stats() const;
  // Re-delivers from from_seq on: sets the handler's cursor to from_seq - 1 (durably)
  // and wakes its worker. Errors: kNoSuchKey for an unknown handler name.
  Status Replay(std::string_view handler, uint64_t from_seq);
  // Dead letters of one handler (empty name: all), in (handler, sequence) order.
  Result<std::vector<DeadLetter>> ListDeadLetters(std::string_view handler = {}, size_t max = 1000);
  // Delivers a dead letter again, once, on the caller's thread, taking its lane's turn
  // (never concurrently with a delivery of the same key). On success the dead
  // letter is deleted and the outcome becomes "delivered"; on failure it stays, with
  // the new error. Errors: kNoSuchKey (no such handler or dead letter);
  // kServiceUnavailable when the delivery failed.
  Status RetryDeadLetter(std::string_view handler, uint64_t seq);
  // Deletes a dead letter. Errors: kNoSuchKey.
  Status DropDeadLetter(std::string_view handler, uint64_t seq);

 private:
  struct Worker;
  struct Lane;
  struct LaneItem;

  Worker* FindWorker(std::string_view name) const;
  void RunWorker(Worker& w);
  // The housekeeping thread: the retention trim every trim_interval_ms, and the
  // slow-delivery watchdog every second.
  void RunTrimmer();
  void TrimOnce();
  void WarnSlowDeliveries();
  // Handles one outbox record for a worker, delivering through lane (whose rng and
  // deliver_mu it uses). Returns false when the record is not settled (stopping, or the
  // bucket's rules could not be read, or an exception was caught: then it is logged,
  // counted in HandlerStats::faults, and the caller tries again after a pause): do not
  // move past it. No exception leaves it.
  bool DispatchRecord(Worker& w, Lane& lane, const storage::EventRecord& record);
  bool DispatchRecordUnguarded(Worker& w, Lane& lane, const storage::EventRecord& record);
  // Logs and counts an exception caught in w's loop (where: what was being done), then
  // pauses as after a store error.
  void Fault(Worker& w, std::string_view where, const char* what);
  bool DeliverWithRetries(Worker& w, Lane& lane, const storage::EventRecord& record,
                          const NotificationRule& rule);
  // Outages (dispatcher_outage.cc). WaitForProbe: while w's target is unavailable, only
  // the lane probing it delivers; the others wait (false: stopping). EnterOutage: a
  // delivery through lane found the target unavailable; returns whether the outage is
  // still within outage_max_ms (then pause and probe). EndOutage: the target answered.
  bool WaitForProbe(Worker& w, Lane& lane);
  bool EnterOutage(Worker& w, Lane& lane, const std::string& reason);
  void EndOutage(Worker& w);
  void LoadOutage(Worker& w);
  // Writes d, retrying a failed write until it lands or the dispatcher stops (false):
  // the cursor never passes an event whose dead letter is not on disk.
  bool WriteDeadLetter(Worker& w, const DeadLetter& d);
  void SendPendingTestEvents(Worker& w);
  void PersistCursor(Worker& w, uint64_t cursor);
  // defer: keep it for the next FlushOutcomes (the worker's own "delivered" outcomes).
  void RecordOutcome(Worker& w, uint64_t seq, const Outcome& outcome, bool defer = false);
  // Writes the deferred outcomes when forced, after cursor_persist_ms, or past a batch.
  void FlushOutcomes(Worker& w, bool force);
  // Laned delivery (concurrency > 1), dispatcher_lanes.cc.
  void RunLanedWorker(Worker& w);
  void RunLane(Worker& w, Lane& lane);
  // Whether a rule may bind the record to w's handler (true when the rules cannot be
  // read now: the lane's DispatchRecord retries).
  bool MayBind(const Worker& w, const storage::EventRecord& record);
  // Hands a batch read after the position of `generation` to the lanes; complete_to:
  // the watermark when the batch holds every record up to it, else 0.
  void HandOut(Worker& w, std::vector<storage::EventRecord> records, uint64_t generation,
               uint64_t complete_to);
  void Settle(Worker& w, const LaneItem& item);
  // Applies a pending Replay: drops the lanes' queues; returns the new cursor.
  uint64_t ResetLanes(Worker& w);
  // Sleeps up to ms; returns false (at once) when stopping.
  bool SleepFor(int64_t ms);
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  storage::Store* const store_;
  const DispatcherOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  BucketRules rules_;
  std::atomic<uint64_t> last_loop_logged_{0};

  std::mutex mu_;
  std::condition_variable cv_;  // signalled by Stop
  std::atomic<bool> stopping_{false};
  bool started_ = false;  // GUARDED_BY(mu_)
  std::thread trimmer_;
};

}  // namespace kumo::events
