// Laned delivery for handlers of concurrency N > 1. The worker thread follows the
// outbox as RunWorker does, but instead of delivering it hands each record a rule may
// bind to the handler to its lane (DeliveryLane of the record's bucket and key); each of
// the N lane threads dispatches its records in order, retries and backoff included
// (DispatchRecord), so the events of one key stay ordered and a slow key holds only its
// own lane.
//
// The cursor advances continuously: every sequence up to Worker::handed_out was handed
// out or needed nothing, so the cursor is one below the lowest sequence still unsettled,
// or handed_out when none is. At most N batches are unsettled at once; past that the
// worker waits for the lanes. A Replay bumps Worker::generation and drops the queues;
// a lane finishing an event of an older generation does not settle anything.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/thread_name.h"
#include "events/arn.h"
#include "events/dispatcher.h"
#include "events/dispatcher_worker.h"

namespace kumo::events {

namespace {
constexpr int kWaitMs = 500;             // outbox wait when idle: bounds how long Stop waits
constexpr int64_t kErrorPauseMs = 1000;  // before retrying after a store error
}  // namespace

void Dispatcher::RunLanedWorker(Worker& w) {
  for (auto& lane : w.lanes) {
    Lane* l = lane.get();
    l->thread = std::thread([this, &w, l] {
      SetThreadName("ev-lane:" + w.handler->name());
      RunLane(w, *l);
    });
  }
  storage::EventLog* log = store_->events();
  const std::string& name = w.handler->name();
  const size_t batch_max = std::max<size_t>(1, options_.batch);
  const size_t limit = batch_max * w.lanes.size();
  const int64_t persist_ms = std::max<int64_t>(1, options_.cursor_persist_ms);
  // While lanes are busy, the worker comes back often enough to persist their progress.
  const int busy_wait_ms = static_cast<int>(std::min<int64_t>(persist_ms, kWaitMs));
  uint64_t persisted = w.cursor.load();
  {
    std::lock_guard lock(w.lanes_mu);
    w.handed_out = persisted;
  }
  auto last_persist = std::chrono::steady_clock::now();
  auto persist = [&](bool force) {
    auto now = std::chrono::steady_clock::now();
    FlushOutcomes(w, force);
    uint64_t cursor = w.cursor.load();
    if (cursor == persisted) return;
    if (!force && now - last_persist < std::chrono::milliseconds(persist_ms)) return;
    PersistCursor(w, cursor);
    persisted = cursor;
    last_persist = now;
  };
  // As in RunWorker: a synced cursor write at most every persist_ms, and a wait that ends
  // when the next one is due.
  auto wait_ms = [&](int longest) {
    if (w.cursor.load() == persisted) return longest;
    auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - last_persist)
                     .count();
    return static_cast<int>(std::clamp<int64_t>(persist_ms - since, 1, longest));
  };

  while (!stopping()) {
    try {
      if (w.replay_pending.load()) persisted = ResetLanes(w);
      SendPendingTestEvents(w);
      uint64_t from = 0;
      uint64_t generation = 0;
      bool idle = false;
      {
        std::unique_lock lock(w.lanes_mu);
        auto has_room = [&] { return w.unsettled.size() + batch_max <= limit; };
        if (!has_room()) {
          w.settled_cv.wait_for(lock, std::chrono::milliseconds(persist_ms), [&] {
            return stopping() || w.replay_pending.load() || has_room();
          });
          lock.unlock();
          persist(false);
          continue;
        }
        from = w.handed_out;
        generation = w.generation;
        idle = w.unsettled.empty();
      }
      persist(false);
      uint64_t watermark = log->WaitPast(from, wait_ms(idle ? kWaitMs : busy_wait_ms));
      if (watermark <= from || stopping()) continue;
      auto batch = log->Read(from, batch_max);
      if (!batch.ok()) {
        spdlog::error("events: {} cannot read the outbox: {}", name, batch.status().ToString());
        SleepFor(kErrorPauseMs);
        continue;
      }
      // A short batch holds every record up to the watermark seen before reading it, so
      // sequences that never committed (settled without a record) are passed too.
      const uint64_t complete_to = batch->size() < batch_max ? watermark : 0;
      HandOut(w, std::move(*batch), generation, complete_to);
    } catch (const std::exception& e) {
      Fault(w, "following the outbox", e.what());
    } catch (...) {
      Fault(w, "following the outbox", "unknown exception");
    }
  }
  {
    std::lock_guard lock(w.lanes_mu);
    for (auto& lane : w.lanes) lane->cv.notify_all();
  }
  for (auto& lane : w.lanes) {
    if (lane->thread.joinable()) lane->thread.join();
  }
  persist(true);
}

void Dispatcher::RunLane(Worker& w, Lane& lane) {
  for (;;) {
    LaneItem item;
    {
      std::unique_lock lock(w.lanes_mu);
      lane.cv.wait(lock, [&] { return stopping() || !lane.queue.empty(); });
      if (stopping()) return;
      item = std::move(lane.queue.front());
      lane.queue.pop_front();
    }
    auto stale = [&] {
      std::lock_guard lock(w.lanes_mu);
      return item.generation != w.generation;
    };
    // Not settled: stopping (it stays unsettled, so the cursor stays before it), or the
    // rules could not be read (DispatchRecord paused; try again, keeping the key's order).
    bool settled = DispatchRecord(w, lane, item.record);
    while (!settled && !stopping() && !stale()) settled = DispatchRecord(w, lane, item.record);
    if (settled) Settle(w, item);
  }
}

bool Dispatcher::MayBind(const Worker& w, const storage::EventRecord& record) {
  auto config = rules_.Rules(record.bucket);
  if (!config.ok()) return true;
  for (const auto& rule : (*config)->rules) {
    if (SameArn(rule.arn, w.handler->arn()) && RuleMatches(rule, record.name, record.key)) {
      return true;
    }
  }
  return false;
}

void Dispatcher::HandOut(Worker& w, std::vector<storage::EventRecord> records, uint64_t generation,
                         uint64_t complete_to) {
  // Rules are read before taking lanes_mu: a cache miss reads the store.
  std::vector<bool> bound(records.size());
  for (size_t i = 0; i < records.size(); ++i) bound[i] = MayBind(w, records[i]);
  std::lock_guard lock(w.lanes_mu);
  if (w.replay_pending.load() || w.generation != generation) return;  // read before a replay
  for (size_t i = 0; i < records.size(); ++i) {
    storage::EventRecord& record = records[i];
    if (record.seq <= w.handed_out) continue;
    w.handed_out = record.seq;
    if (!bound[i]) continue;
    w.unsettled.insert(record.seq);
    Lane& lane = w.LaneFor(record);
    lane.queue.push_back({std::move(record), generation});
    lane.cv.notify_one();
  }
  w.handed_out = std::max(w.handed_out, complete_to);
  w.cursor.store(w.SettledCursorLocked());
}

void Dispatcher::Settle(Worker& w, const LaneItem& item) {
  std::lock_guard lock(w.lanes_mu);
  if (item.generation != w.generation) return;
  w.unsettled.erase(item.record.seq);
  if (!w.replay_pending.load()) w.cursor.store(w.SettledCursorLocked());
  w.settled_cv.notify_one();
}

uint64_t Dispatcher::ResetLanes(Worker& w) {
  std::lock_guard lock(w.mu);
  std::lock_guard lanes_lock(w.lanes_mu);
  const uint64_t cursor = w.replay_cursor ? *w.replay_cursor : w.SettledCursorLocked();
  // Every event handed out may have been delivered: do not time them again.
  w.untimed_through.store(std::max(w.untimed_through.load(), w.handed_out));
  w.replay_cursor.reset();
  for (auto& lane : w.lanes) lane->queue.clear();
  w.unsettled.clear();
  ++w.generation;
  w.handed_out = cursor;
  w.replay_pending.store(false);
  w.cursor.store(cursor);
  return cursor;
}

}  // namespace kumo::events
