// The per-handler worker loop of the Dispatcher: follow the outbox from the handler's
// cursor, select the events the bucket rules bind to the handler, deliver each with
// retries, dead-letter what still fails, and persist the cursor. A handler of
// concurrency > 1 runs the laned loop of dispatcher_lanes.cc instead; record dispatch,
// retries and test events below serve both.
#include "events/dispatcher_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/time_util.h"
#include "events/arn.h"
#include "events/backoff.h"
#include "events/dispatcher.h"
#include "events/event_json.h"
#include "events/test_event.h"

namespace kumo::events {

namespace {
constexpr int kWaitMs = 500;             // outbox wait per loop: bounds how long Stop waits
constexpr int64_t kErrorPauseMs = 1000;  // before retrying after a store error
}  // namespace

void Dispatcher::RunWorker(Worker& w) {
  if (w.lanes.size() > 1) {
    RunLanedWorker(w);
    return;
  }
  Lane& lane = *w.lanes.front();
  storage::EventLog* log = store_->events();
  const std::string& name = w.handler->name();
  uint64_t cursor = w.cursor.load();
  uint64_t persisted = cursor;
  auto last_persist = std::chrono::steady_clock::now();
  auto persist = [&](bool force) {
    auto now = std::chrono::steady_clock::now();
    FlushOutcomes(w, force);
    if (cursor == persisted) return;
    if (!force && now - last_persist < std::chrono::milliseconds(options_.cursor_persist_ms)) {
      return;
    }
    PersistCursor(w, cursor);
    persisted = cursor;
    last_persist = now;
  };
  // The cursor is persisted (a synced write) at most every cursor_persist_ms, never per
  // batch: under load a batch is one group commit of PUTs, and a synced write per batch
  // would double the WAL syncs the PUTs wait for. An idle worker wakes when the next
  // persist is due, so progress is on disk cursor_persist_ms after it is made.
  auto wait_ms = [&] {
    if (cursor == persisted) return kWaitMs;
    auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - last_persist)
                     .count();
    return static_cast<int>(std::clamp<int64_t>(options_.cursor_persist_ms - since, 1, kWaitMs));
  };

  while (!stopping()) {
    try {
      if (w.replay_pending.load()) {
        std::lock_guard lock(w.mu);
        std::lock_guard lanes_lock(w.lanes_mu);
        // Every event up to the cursor may have been delivered: do not time them again.
        w.untimed_through.store(std::max(w.untimed_through.load(), cursor));
        if (w.replay_cursor) cursor = persisted = *w.replay_cursor;
        w.replay_cursor.reset();
        w.replay_pending.store(false);
        w.cursor.store(cursor);
      }
      SendPendingTestEvents(w);
      uint64_t watermark = log->WaitPast(cursor, wait_ms());
      if (watermark <= cursor || stopping()) {
        persist(false);
        continue;
      }
      auto batch = log->Read(cursor, options_.batch);
      if (!batch.ok()) {
        spdlog::error("events: {} cannot read the outbox: {}", name, batch.status().ToString());
        SleepFor(kErrorPauseMs);
        continue;
      }
      bool complete = true;
      for (const auto& record : *batch) {
        // A configuration's s3:TestEvent goes before the events that followed it.
        SendPendingTestEvents(w);
        if (stopping() || w.replay_pending.load() || !DispatchRecord(w, lane, record)) {
          complete = false;
          break;
        }
        cursor = record.seq;
        w.cursor.store(cursor);
        persist(false);
      }
      // A short batch holds every record up to the watermark seen before reading it, so
      // sequences that never committed (settled without a record) are passed too.
      if (complete && batch->size() < options_.batch) cursor = std::max(cursor, watermark);
      if (!w.replay_pending.load()) w.cursor.store(cursor);
      persist(false);
    } catch (const std::exception& e) {
      Fault(w, "following the outbox", e.what());
    } catch (...) {
      Fault(w, "following the outbox", "unknown exception");
    }
  }
  persist(true);
}

void Dispatcher::PersistCursor(Worker& w, uint64_t cursor) {
  // Outcomes first: the synced cursor write then makes them durable too (the WAL is
  // written in order), so no event behind a durable cursor lacks its outcome.
  FlushOutcomes(w, true);
  std::lock_guard lock(w.mu);
  if (w.replay_cursor) return;  // Replay has already stored the cursor to use
  Status s = store_->events()->PutState(CursorKey(w.handler->name()), std::to_string(cursor));
  if (!s.ok()) {
    spdlog::error("events: cannot persist the cursor of {}: {}", w.handler->name(), s.ToString());
  }
}

void Dispatcher::RecordOutcome(Worker& w, uint64_t seq, const Outcome& outcome, bool defer) {
  if (defer) {
    std::lock_guard lock(w.outcomes_mu);
    w.pending_outcomes.emplace_back(OutcomeKey(seq, w.handler->name()), EncodeOutcome(outcome));
    return;
  }
  // Not synced: a sync per event would make the WAL sync the dispatcher's bottleneck
  // (and slow every PUT sharing that WAL). An outcome lost with the machine only shows
  // an older state; the event itself is re-delivered from the synced cursor.
  Status s = store_->events()->PutState(OutcomeKey(seq, w.handler->name()), EncodeOutcome(outcome),
                                        /*synced=*/false);
  if (!s.ok()) {
    spdlog::error("events: cannot record the outcome of event {} for {}: {}", seq,
                  w.handler->name(), s.ToString());
  }
}

void Dispatcher::FlushOutcomes(Worker& w, bool force) {
  auto now = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, std::string>> entries;
  {
    std::lock_guard lock(w.outcomes_mu);
    if (w.pending_outcomes.empty()) return;
    if (!force && w.pending_outcomes.size() < options_.batch &&
        now - w.last_outcome_flush < std::chrono::milliseconds(options_.cursor_persist_ms)) {
      return;
    }
    entries.swap(w.pending_outcomes);
    w.last_outcome_flush = now;
  }
  Status s = store_->events()->PutStates(entries, /*synced=*/false);
  if (!s.ok()) {
    spdlog::error("events: cannot record {} outcomes for {}: {}", entries.size(), w.handler->name(),
                  s.ToString());
  }
}

DeliveryResult DeliverCatching(Handler& handler, const storage::EventRecord& record,
                               const std::string& payload) {
  try {
    return handler.Deliver(record, payload);
  } catch (const std::exception& e) {
    return {DeliveryOutcome::kRetryable, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {DeliveryOutcome::kRetryable, "internal error: unknown exception"};
  }
}

void Dispatcher::Fault(Worker& w, std::string_view where, const char* what) {
  w.faults.fetch_add(1);
  spdlog::error("events: {}: exception while {}: {}; retrying", w.handler->name(), where, what);
  SleepFor(kErrorPauseMs);
}

bool Dispatcher::DispatchRecord(Worker& w, Lane& lane, const storage::EventRecord& record) {
  // A thread that an exception leaves ends kumod (std::terminate), and the same record
  // would end the next start too: every exception stops here and the record is retried.
  try {
    return DispatchRecordUnguarded(w, lane, record);
  } catch (const std::exception& e) {
    Fault(w, "dispatching event " + std::to_string(record.seq), e.what());
  } catch (...) {
    Fault(w, "dispatching event " + std::to_string(record.seq), "unknown exception");
  }
  return false;
}

bool Dispatcher::DispatchRecordUnguarded(Worker& w, Lane& lane,
                                         const storage::EventRecord& record) {
  auto config = rules_.Rules(record.bucket);
  if (!config.ok()) {
    spdlog::error("events: cannot read the notification configuration of bucket {}: {}",
                  record.bucket, config.status().ToString());
    SleepFor(kErrorPauseMs);
    return false;
  }
  for (const auto& rule : (*config)->rules) {
    if (!SameArn(rule.arn, w.handler->arn()) || !RuleMatches(rule, record.name, record.key)) {
      continue;
    }
    if (record.depth > options_.max_chain_depth) {
      uint64_t logged = last_loop_logged_.load();
      while (record.seq > logged && !last_loop_logged_.compare_exchange_weak(logged, record.seq)) {
      }
      if (record.seq > logged) {
        spdlog::warn(
            "events: loop: event {} ({} s3://{}/{}) has chain depth {} > {}; not dispatched",
            record.seq, record.name, record.bucket, record.key, record.depth,
            options_.max_chain_depth);
      }
      RecordOutcome(w, record.seq,
                    {"dropped", 0,
                     "chain depth " + std::to_string(record.depth) + " exceeds the limit " +
                         std::to_string(options_.max_chain_depth),
                     NowMillis()});
      return true;
    }
    if (!DeliverWithRetries(w, lane, record, rule)) return false;
  }
  return true;
}

bool Dispatcher::DeliverWithRetries(Worker& w, Lane& lane, const storage::EventRecord& record,
                                    const NotificationRule& rule) {
  const std::string payload = RenderEventJson(record, rule.id, options_.region);
  const int max_attempts = std::max(1, options_.max_attempts);
  int probes = 0;  // deliveries that found the target unavailable: not attempts
  for (int attempt = 1;; ++attempt) {
    if (!WaitForProbe(w, lane)) return false;
    DeliveryResult result;
    {
      std::lock_guard lock(lane.deliver_mu);
      // Both delivery paths (the worker's and the lanes') come here; replays and retries
      // of dead letters do not count (see HandlerStats::dispatch_latency).
      if (attempt == 1 && probes == 0 &&
          record.seq > w.untimed_through.load(std::memory_order_relaxed)) {
        w.dispatch_latency.Record(NowMicros() - record.time_ms * 1000);
      }
      lane.delivery_seq.store(record.seq, std::memory_order_relaxed);
      lane.delivery_started_ms.store(NowMillis(), std::memory_order_relaxed);
      result = DeliverCatching(*w.handler, record, payload);
      lane.delivery_started_ms.store(0, std::memory_order_relaxed);
    }
    if (result.outcome == DeliveryOutcome::kUnavailable) {
      if (EnterOutage(w, lane, result.error)) {
        RecordOutcome(w, record.seq, {"unavailable", attempt, result.error, NowMillis()});
        int64_t delay = FullJitterBackoffMs(std::min(++probes, 30), options_.initial_backoff_ms,
                                            options_.max_backoff_ms, lane.rng);
        if (!SleepFor(delay)) return false;
        --attempt;
        continue;
      }
      // The outage has lasted outage_max_ms: from now on a failure like any other.
    } else {
      EndOutage(w);
    }
    if (result.outcome == DeliveryOutcome::kDelivered) {
      w.delivered.fetch_add(1);
      RecordOutcome(w, record.seq, {"delivered", attempt, "", NowMillis()}, /*defer=*/true);
      return true;
    }
    w.failed_attempts.fetch_add(1);
    if (result.outcome == DeliveryOutcome::kPermanent || attempt >= max_attempts) {
      DeadLetter d{record.seq, w.handler->name(), rule.id, result.error,
                   attempt,    NowMillis(),       record};
      if (!WriteDeadLetter(w, d)) return false;
      w.dead_lettered.fetch_add(1);
      RecordOutcome(w, record.seq, {"dead", attempt, result.error, d.time_ms});
      spdlog::warn("events: event {} dead-lettered for {} after {} attempt(s): {}", record.seq,
                   d.handler, attempt, result.error);
      return true;
    }
    RecordOutcome(w, record.seq, {"retrying", attempt, result.error, NowMillis()});
    spdlog::debug("events: event {} to {}: attempt {} failed: {}", record.seq, w.handler->name(),
                  attempt, result.error);
    int64_t delay = FullJitterBackoffMs(attempt, options_.initial_backoff_ms,
                                        options_.max_backoff_ms, lane.rng);
    if (!SleepFor(delay)) return false;
  }
}

bool Dispatcher::WriteDeadLetter(Worker& w, const DeadLetter& d) {
  for (;;) {
    Status s = store_->events()->PutState(DeadLetterKey(d.handler, d.seq), EncodeDeadLetter(d));
    if (s.ok()) return true;
    w.faults.fetch_add(1);
    spdlog::error("events: cannot write the dead letter of event {} for {}: {}; retrying", d.seq,
                  d.handler, s.ToString());
    if (!SleepFor(kErrorPauseMs)) return false;
  }
}

void Dispatcher::SendPendingTestEvents(Worker& w) {
  for (;;) {
    std::string bucket;
    {
      std::lock_guard lock(w.mu);
      if (w.test_buckets.empty()) return;
      bucket = std::move(w.test_buckets.front());
      w.test_buckets.pop_front();
    }
    int64_t now = NowMillis();
    char request_id[17];
    std::snprintf(request_id, sizeof(request_id), "%016llX",
                  static_cast<unsigned long long>(w.rng()));
    const storage::EventRecord record = TestEventRecord(bucket, now);
    DeliveryResult result;
    {
      std::lock_guard lock(w.LaneFor(record).deliver_mu);
      result = DeliverCatching(*w.handler, record, RenderTestEventJson(bucket, request_id, now));
    }
    if (result.outcome == DeliveryOutcome::kDelivered) {
      spdlog::info("events: s3:TestEvent for bucket {} delivered to {}", bucket, w.handler->name());
    } else {
      spdlog::warn("events: s3:TestEvent for bucket {} to {} failed: {}", bucket, w.handler->name(),
                   result.error);
    }
  }
}

}  // namespace kumo::events
