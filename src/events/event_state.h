// The dispatcher's durable state in the event-state key space (EventLog::PutState):
//   cursor/<handler>                 -> decimal sequence: every event <= it is handled
//   outcome/<seq 20 digits>/<handler> -> JSON Outcome: what happened to one delivery
//   dead/<handler>/<seq 20 digits>    -> JSON DeadLetter: an event that failed for good
// Sequences are zero-padded so that key order is sequence order. Keys and codecs are
// pure functions; the Read* helpers go to the store and are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/event_log.h"
#include "storage/event_record.h"

namespace kumo::events {

// One delivery's fate. status: "delivered", "retrying" (an attempt failed, another will
// follow), "dead" (dead-lettered) or "dropped" (over the chain depth limit).
struct Outcome {
  std::string status;
  int attempts = 0;
  std::string error;  // the last error; empty when delivered at once
  int64_t time_ms = 0;
};

// An event that exhausted its attempts or failed permanently. It carries the event
// itself, so it can be retried after the outbox record has been trimmed.
struct DeadLetter {
  uint64_t seq = 0;
  std::string handler;
  std::string rule_id;
  std::string error;
  int attempts = 0;
  int64_t time_ms = 0;
  storage::EventRecord record;
};

std::string PaddedSeq(uint64_t seq);  // 20 digits
std::string CursorKey(std::string_view handler);
// "outage/<handler>" -> the start (ms) of the handler's current outage, while it lasts.
std::string OutageKey(std::string_view handler);
std::string OutcomeKey(uint64_t seq, std::string_view handler);
std::string OutcomePrefix(uint64_t seq);  // "outcome/<seq>/"
std::string DeadLetterKey(std::string_view handler, uint64_t seq);
// "dead/<handler>/", or "dead/" for every handler when handler is empty.
std::string DeadLetterPrefix(std::string_view handler);

std::string EncodeOutcome(const Outcome& o);
bool DecodeOutcome(std::string_view json, Outcome* o);
std::string EncodeDeadLetter(const DeadLetter& d);
bool DecodeDeadLetter(std::string_view json, DeadLetter* d);

// Every handler's outcome for one event, as (handler name, outcome), by handler name.
Result<std::vector<std::pair<std::string, Outcome>>> ReadOutcomes(storage::EventLog* log,
                                                                  uint64_t seq);
// A handler's persisted cursor as (found, cursor); found is false before its first start.
Result<std::pair<bool, uint64_t>> ReadCursor(storage::EventLog* log, std::string_view handler);

}  // namespace kumo::events
