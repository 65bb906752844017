#include "events/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "common/thread_name.h"
#include "common/time_util.h"
#include "events/arn.h"
#include "events/dispatcher_worker.h"

namespace kumo::events {

size_t DeliveryLane(std::string_view bucket, std::string_view key, size_t lanes) {
  if (lanes <= 1) return 0;
  // FNV-1a (64 bit): stable across builds and platforms, so an operator (or a test) can
  // tell which keys share a lane; no allocation.
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  };
  mix(bucket);
  mix(std::string_view("\0", 1));
  mix(key);
  return static_cast<size_t>(h % lanes);
}

Dispatcher::Dispatcher(storage::Store* store, DispatcherOptions options,
                       std::vector<std::unique_ptr<Handler>> handlers)
    : store_(store), options_(std::move(options)), rules_(store, options_.bindings) {
  for (auto& h : handlers) workers_.push_back(std::make_unique<Worker>(std::move(h)));
}

Dispatcher::~Dispatcher() { Stop(); }

Status Dispatcher::Start() {
  std::lock_guard lock(mu_);
  if (started_) return Status::Internal("dispatcher already started");
  storage::EventLog* log = store_->events();
  for (auto& w : workers_) {
    KUMO_ASSIGN_OR_RETURN(auto found, ReadCursor(log, w->handler->name()));
    uint64_t cursor = found.second;
    if (!found.first) {
      cursor = log->Watermark();
      KUMO_RETURN_IF_ERROR(log->PutState(CursorKey(w->handler->name()), std::to_string(cursor)));
    }
    w->cursor.store(cursor);
    w->untimed_through.store(log->Watermark());
    LoadOutage(*w);
    spdlog::info("events: handler {} ({}) starts after sequence {}", w->handler->name(),
                 w->handler->arn(), cursor);
  }
  TrimOnce();
  started_ = true;
  for (auto& w : workers_) {
    Worker* worker = w.get();
    w->thread = std::thread([this, worker] {
      SetThreadName(worker->handler->name());
      RunWorker(*worker);
    });
  }
  trimmer_ = std::thread([this] {
    SetThreadName("ev-trimmer");
    RunTrimmer();
  });
  return Status::OK();
}

void Dispatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
  for (auto& w : workers_) {
    // Lanes and a worker waiting for them check stopping() under lanes_mu.
    std::lock_guard lock(w->lanes_mu);
    for (auto& lane : w->lanes) lane->cv.notify_all();
    w->settled_cv.notify_all();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
  if (trimmer_.joinable()) trimmer_.join();
}

bool Dispatcher::SleepFor(int64_t ms) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping(); });
}

bool Dispatcher::HasHandler(std::string_view arn) const {
  for (const auto& w : workers_) {
    if (SameArn(w->handler->arn(), arn)) return true;
  }
  return false;
}

void Dispatcher::InvalidateBucket(const std::string& bucket) { rules_.Invalidate(bucket); }

void Dispatcher::SendTestEvent(const std::string& arn, const std::string& bucket) {
  for (auto& w : workers_) {
    if (!SameArn(w->handler->arn(), arn)) continue;
    std::lock_guard lock(w->mu);
    w->test_buckets.push_back(bucket);
  }
}

Dispatcher::Worker* Dispatcher::FindWorker(std::string_view name) const {
  for (const auto& w : workers_) {
    if (w->handler->name() == name) return w.get();
  }
  return nullptr;
}

std::vector<HandlerStats> Dispatcher::Stats() const {
  uint64_t watermark = store_->events()->Watermark();
  std::vector<HandlerStats> out;
  for (const auto& w : workers_) {
    HandlerStats s;
    s.name = w->handler->name();
    s.arn = w->handler->arn();
    s.cursor = w->cursor.load();
    s.lag = watermark > s.cursor ? watermark - s.cursor : 0;
    s.delivered = w->delivered.load();
    s.failed_attempts = w->failed_attempts.load();
    s.dead_lettered = w->dead_lettered.load();
    s.faults = w->faults.load();
    s.unavailable_since_ms = w->unavailable_since_ms.load();
    if (s.unavailable_since_ms != 0) {
      std::lock_guard outage_lock(w->outage_mu);
      s.unavailable_reason = w->unavailable_reason;
    }
    s.dispatch_latency = w->dispatch_latency.Snapshot();
    const int64_t now = NowMillis();
    for (const auto& lane : w->lanes) {
      const int64_t started = lane->delivery_started_ms.load(std::memory_order_relaxed);
      if (started != 0) s.running_delivery_ms = std::max(s.running_delivery_ms, now - started);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status Dispatcher::Replay(std::string_view handler, uint64_t from_seq) {
  Worker* w = FindWorker(handler);
  if (w == nullptr) return Status::NoSuchKey("no handler named " + std::string(handler));
  uint64_t cursor = from_seq > 0 ? from_seq - 1 : 0;
  std::lock_guard lock(w->mu);
  KUMO_RETURN_IF_ERROR(
      store_->events()->PutState(CursorKey(w->handler->name()), std::to_string(cursor)));
  w->replay_cursor = cursor;
  {
    // Under lanes_mu too, so a lane settling an event cannot overwrite the cursor.
    std::lock_guard lanes_lock(w->lanes_mu);
    w->replay_pending.store(true);
    w->cursor.store(cursor);
  }
  w->settled_cv.notify_all();
  spdlog::info("events: handler {} replays from sequence {}", w->handler->name(), from_seq);
  return Status::OK();
}

void Dispatcher::RunTrimmer() {
  constexpr int64_t kWatchdogMs = 1000;
  int64_t next_trim = NowMillis() + options_.trim_interval_ms;
  for (;;) {
    int64_t now = NowMillis();
    if (!SleepFor(std::clamp<int64_t>(next_trim - now, 1, kWatchdogMs))) return;
    WarnSlowDeliveries();
    now = NowMillis();
    if (now >= next_trim) {
      TrimOnce();
      next_trim = now + options_.trim_interval_ms;
    }
  }
}

void Dispatcher::WarnSlowDeliveries() {
  const int64_t now = NowMillis();
  for (const auto& w : workers_) {
    for (const auto& lane : w->lanes) {
      const int64_t started = lane->delivery_started_ms.load(std::memory_order_relaxed);
      const uint64_t seq = lane->delivery_seq.load(std::memory_order_relaxed);
      if (started == 0 || now - started < options_.slow_delivery_warn_ms ||
          lane->warned_seq == seq) {
        continue;
      }
      lane->warned_seq = seq;
      spdlog::warn(
          "events: {} has been delivering event {} for {} s; the events of its lane wait "
          "(a function call inside kumod cannot be interrupted)",
          w->handler->name(), seq, (now - started) / 1000);
    }
  }
}

void Dispatcher::TrimOnce() {
  storage::EventLog* log = store_->events();
  auto trimmed = log->TrimBefore(NowMillis() - options_.retention_ms);
  if (!trimmed.ok()) {
    spdlog::error("events: retention trim failed: {}", trimmed.status().ToString());
    return;
  }
  if (*trimmed > 0) spdlog::info("events: trimmed {} expired events", *trimmed);
  // Outcomes of events that are gone go with them: everything below the first record
  // still in the outbox (or up to the watermark when none is left).
  auto first = log->Read(0, 1);
  if (!first.ok()) return;
  uint64_t keep_from = first->empty() ? log->Watermark() + 1 : first->front().seq;
  const std::string limit = OutcomePrefix(keep_from);
  for (;;) {
    auto entries = log->ScanState("outcome/", 1000);
    if (!entries.ok() || entries->empty()) return;
    for (const auto& [key, value] : *entries) {
      if (key >= limit) return;
      if (!log->DeleteState(key).ok()) return;
    }
    if (entries->size() < 1000) return;
  }
}

}  // namespace kumo::events
