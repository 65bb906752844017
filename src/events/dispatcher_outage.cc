// Target outages for the Dispatcher. A target that cannot be reached is not a failed
// event (AWS retries Lambda's async invocations for hours, Ceph's persistent topics
// until acknowledged): the handler pauses, one lane probes with the event at its head
// while the others wait, backing off as retries do, and the cursor stays where it is.
// Nothing is dead-lettered until the outage has lasted outage_max_ms; its start is kept
// in the event state, so a restart does not reset that window. The first answer that
// is not "unavailable" (a delivery, or a refusal of the event) ends the outage.
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "common/time_util.h"
#include "events/dispatcher.h"
#include "events/dispatcher_worker.h"
#include "events/event_state.h"

namespace kumo::events {

namespace {
constexpr int64_t kProbeWaitMs = 100;  // how often a waiting lane looks again
}  // namespace

void Dispatcher::LoadOutage(Worker& w) {
  auto value = store_->events()->GetState(OutageKey(w.handler->name()));
  if (!value.ok() || !value->has_value()) return;
  const int64_t started = std::strtoll((*value)->c_str(), nullptr, 10);
  if (started > 0) w.outage_started_ms.store(started);
}

bool Dispatcher::WaitForProbe(Worker& w, Lane& lane) {
  for (;;) {
    const int64_t since = w.unavailable_since_ms.load();
    // Past outage_max_ms every lane fails its events again, each on its own.
    if (since == 0 || w.prober.load() == &lane || NowMillis() - since >= options_.outage_max_ms) {
      return !stopping();
    }
    if (!SleepFor(kProbeWaitMs)) return false;
  }
}

bool Dispatcher::EnterOutage(Worker& w, Lane& lane, const std::string& reason) {
  const int64_t now = NowMillis();
  int64_t since = 0;
  {
    std::lock_guard lock(w.outage_mu);
    w.unavailable_reason = reason;
    since = w.unavailable_since_ms.load();
    if (since == 0) {
      // A previous run's outage goes on: its window started then.
      since = w.outage_started_ms.load() != 0 ? w.outage_started_ms.load() : now;
      const bool recorded = w.outage_started_ms.load() != 0;
      w.outage_started_ms.store(since);
      Lane* none = nullptr;
      w.prober.compare_exchange_strong(none, &lane);
      w.unavailable_since_ms.store(since);
      if (!recorded) {
        Status s = store_->events()->PutState(OutageKey(w.handler->name()), std::to_string(since));
        if (!s.ok()) {
          spdlog::error("events: cannot record the outage of {}: {}", w.handler->name(),
                        s.ToString());
        }
      }
      spdlog::warn("events: {} is unavailable ({}); its deliveries pause and resume by themselves",
                   w.handler->name(), reason);
    }
  }
  return now - since < options_.outage_max_ms;
}

void Dispatcher::EndOutage(Worker& w) {
  if (w.unavailable_since_ms.load() == 0 && w.outage_started_ms.load() == 0) return;
  int64_t since = 0;
  {
    std::lock_guard lock(w.outage_mu);
    since = w.outage_started_ms.exchange(0);
    if (since == 0 && w.unavailable_since_ms.load() == 0) return;
    w.unavailable_since_ms.store(0);
    w.prober.store(nullptr);
    w.unavailable_reason.clear();
  }
  Status s = store_->events()->DeleteState(OutageKey(w.handler->name()));
  if (!s.ok()) {
    spdlog::error("events: cannot clear the outage of {}: {}", w.handler->name(), s.ToString());
  }
  spdlog::info("events: {} is available again (unavailable since {})", w.handler->name(),
               FormatIso8601Millis(since));
}

}  // namespace kumo::events
