#include "events/event_state.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "common/time_util.h"
#include "common/utf8.h"
#include "events/event_json.h"

namespace kumo::events {

namespace {

nlohmann::json RecordToJson(const storage::EventRecord& r) {
  nlohmann::json j = {{"seq", r.seq},
                      {"time_ms", r.time_ms},
                      {"name", r.name},
                      {"bucket", r.bucket},
                      {"key", r.key},
                      {"size", r.size},
                      {"etag", r.etag},
                      {"request_id", r.request_id},
                      {"principal", r.principal},
                      {"source_ip", r.source_ip},
                      {"parent_seq", r.parent_seq},
                      {"depth", r.depth}};
  // A key is bytes; one JSON cannot carry exactly is kept in hex beside its readable form.
  if (!IsValidUtf8(r.key)) j["key_hex"] = HexEncode(r.key);
  return j;
}

void RecordFromJson(const nlohmann::json& j, storage::EventRecord* r) {
  r->seq = j.value("seq", uint64_t{0});
  r->time_ms = j.value("time_ms", int64_t{0});
  r->name = j.value("name", "");
  r->bucket = j.value("bucket", "");
  r->key = j.value("key", "");
  if (std::string hex = j.value("key_hex", ""); !hex.empty()) HexDecode(hex, &r->key);
  r->size = j.value("size", uint64_t{0});
  r->etag = j.value("etag", "");
  r->request_id = j.value("request_id", "");
  r->principal = j.value("principal", "");
  r->source_ip = j.value("source_ip", "");
  r->parent_seq = j.value("parent_seq", uint64_t{0});
  r->depth = j.value("depth", uint32_t{0});
}

}  // namespace

std::string PaddedSeq(uint64_t seq) {
  char buf[21];
  std::snprintf(buf, sizeof(buf), "%020llu", static_cast<unsigned long long>(seq));
  return buf;
}

std::string CursorKey(std::string_view handler) { return "cursor/" + std::string(handler); }

std::string OutageKey(std::string_view handler) { return "outage/" + std::string(handler); }

std::string OutcomeKey(uint64_t seq, std::string_view handler) {
  return OutcomePrefix(seq) + std::string(handler);
}

std::string OutcomePrefix(uint64_t seq) { return "outcome/" + PaddedSeq(seq) + "/"; }

std::string DeadLetterKey(std::string_view handler, uint64_t seq) {
  return DeadLetterPrefix(handler) + PaddedSeq(seq);
}

std::string DeadLetterPrefix(std::string_view handler) {
  if (handler.empty()) return "dead/";
  return "dead/" + std::string(handler) + "/";
}

// By hand, not with nlohmann::json: one is written per delivered event.
std::string EncodeOutcome(const Outcome& o) {
  std::string out = "{\"status\":";
  AppendJsonString(&out, o.status);
  out.append(",\"attempts\":").append(std::to_string(o.attempts)).append(",\"error\":");
  AppendJsonString(&out, o.error);
  out.append(",\"time\":");
  AppendJsonString(&out, FormatIso8601Millis(o.time_ms));
  out.append(",\"time_ms\":").append(std::to_string(o.time_ms)).append("}");
  return out;
}

bool DecodeOutcome(std::string_view json, Outcome* o) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  try {
    o->status = j.value("status", "");
    o->attempts = j.value("attempts", 0);
    o->error = j.value("error", "");
    o->time_ms = j.value("time_ms", int64_t{0});
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

std::string EncodeDeadLetter(const DeadLetter& d) {
  return nlohmann::json{{"seq", d.seq},           {"handler", d.handler},
                        {"rule_id", d.rule_id},   {"error", d.error},
                        {"attempts", d.attempts}, {"time", FormatIso8601Millis(d.time_ms)},
                        {"time_ms", d.time_ms},   {"event", RecordToJson(d.record)}}
      // Reasons come from receivers and plugins, keys are bytes: dump() would throw on
      // invalid UTF-8, so it becomes U+FFFD (the record's key is kept exactly below).
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool DecodeDeadLetter(std::string_view json, DeadLetter* d) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  try {
    d->seq = j.value("seq", uint64_t{0});
    d->handler = j.value("handler", "");
    d->rule_id = j.value("rule_id", "");
    d->error = j.value("error", "");
    d->attempts = j.value("attempts", 0);
    d->time_ms = j.value("time_ms", int64_t{0});
    if (j.contains("event") && j["event"].is_object()) RecordFromJson(j["event"], &d->record);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

Result<std::vector<std::pair<std::string, Outcome>>> ReadOutcomes(storage::EventLog* log,
                                                                  uint64_t seq) {
  std::string prefix = OutcomePrefix(seq);
  KUMO_ASSIGN_OR_RETURN(auto entries, log->ScanState(prefix, 1000));
  std::vector<std::pair<std::string, Outcome>> out;
  for (const auto& [key, value] : entries) {
    Outcome o;
    if (!DecodeOutcome(value, &o)) continue;
    out.emplace_back(key.substr(prefix.size()), std::move(o));
  }
  return out;
}

Result<std::pair<bool, uint64_t>> ReadCursor(storage::EventLog* log, std::string_view handler) {
  KUMO_ASSIGN_OR_RETURN(auto value, log->GetState(CursorKey(handler)));
  if (!value) return std::pair<bool, uint64_t>(false, 0);
  char* end = nullptr;
  unsigned long long n = std::strtoull(value->c_str(), &end, 10);
  if (value->empty() || *end != '\0') {
    return Status::Corruption("bad cursor for handler " + std::string(handler));
  }
  return std::pair<bool, uint64_t>(true, n);
}

}  // namespace kumo::events
