// Dead-letter administration for the Dispatcher: list, retry (one synchronous
// delivery on the caller's thread, in the turn of the event's lane), drop.
#include <spdlog/spdlog.h>

#include "common/time_util.h"
#include "events/dispatcher.h"
#include "events/dispatcher_worker.h"
#include "events/event_json.h"

namespace kumo::events {

Result<std::vector<DeadLetter>> Dispatcher::ListDeadLetters(std::string_view handler, size_t max) {
  KUMO_ASSIGN_OR_RETURN(auto entries, store_->events()->ScanState(DeadLetterPrefix(handler), max));
  std::vector<DeadLetter> out;
  out.reserve(entries.size());
  for (const auto& [key, value] : entries) {
    DeadLetter d;
    if (!DecodeDeadLetter(value, &d)) {
      spdlog::warn("events: unreadable dead letter {}", key);
      continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

Status Dispatcher::RetryDeadLetter(std::string_view handler, uint64_t seq) {
  Worker* w = FindWorker(handler);
  if (w == nullptr) return Status::NoSuchKey("no handler named " + std::string(handler));
  storage::EventLog* log = store_->events();
  const std::string key = DeadLetterKey(handler, seq);
  KUMO_ASSIGN_OR_RETURN(auto value, log->GetState(key));
  DeadLetter d;
  if (!value) {
    return Status::NoSuchKey("no dead letter for event " + std::to_string(seq) + " and " +
                             std::string(handler));
  }
  if (!DecodeDeadLetter(*value, &d)) return Status::Corruption("unreadable dead letter " + key);
  const std::string payload = RenderEventJson(d.record, d.rule_id, options_.region);
  DeliveryResult result;
  {
    std::lock_guard lock(w->LaneFor(d.record).deliver_mu);
    result = DeliverCatching(*w->handler, d.record, payload);
  }
  ++d.attempts;
  d.time_ms = NowMillis();
  if (result.outcome == DeliveryOutcome::kDelivered) {
    w->delivered.fetch_add(1);
    KUMO_RETURN_IF_ERROR(log->DeleteState(key));
    RecordOutcome(*w, seq, {"delivered", d.attempts, "", d.time_ms});
    spdlog::info("events: dead letter {} for {} delivered on retry", seq, d.handler);
    return Status::OK();
  }
  w->failed_attempts.fetch_add(1);
  d.error = result.error;
  KUMO_RETURN_IF_ERROR(log->PutState(key, EncodeDeadLetter(d)));
  RecordOutcome(*w, seq, {"dead", d.attempts, d.error, d.time_ms});
  return Status(ErrorCode::kServiceUnavailable, "delivery of event " + std::to_string(seq) +
                                                    " to " + d.handler +
                                                    " failed again: " + result.error);
}

Status Dispatcher::DropDeadLetter(std::string_view handler, uint64_t seq) {
  if (handler.empty()) return Status::InvalidArgument("a handler name is required");
  storage::EventLog* log = store_->events();
  const std::string key = DeadLetterKey(handler, seq);
  KUMO_ASSIGN_OR_RETURN(auto value, log->GetState(key));
  if (!value) {
    return Status::NoSuchKey("no dead letter for event " + std::to_string(seq) + " and " +
                             std::string(handler));
  }
  return log->DeleteState(key);
}

}  // namespace kumo::events
