#include "admin/events_api.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "admin/json_response.h"
#include "common/time_util.h"
#include "events/event_state.h"

namespace kumo::admin {

namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 10000;
constexpr size_t kScanBatch = 1024;
// A listing or trace never reads more than this many records, so one admin call stays
// cheap however large the outbox is; clients page with `after`.
constexpr size_t kMaxScanned = 200000;

s3::Response BadRequest(const std::string& message) {
  return JsonResponse(400, {{"error", "InvalidArgument"}, {"message", message}});
}

bool ParseU64(const std::string& s, uint64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

nlohmann::json Describe(storage::EventLog* log, const storage::EventRecord& r) {
  nlohmann::json outcomes = nlohmann::json::array();
  if (auto read = events::ReadOutcomes(log, r.seq); read.ok()) {
    for (const auto& [handler, o] : *read) {
      outcomes.push_back({{"handler", handler},
                          {"status", o.status},
                          {"attempts", o.attempts},
                          {"error", o.error},
                          {"time", FormatIso8601Millis(o.time_ms)}});
    }
  }
  nlohmann::json j = {{"seq", r.seq},
                      {"time", FormatIso8601Millis(r.time_ms)},
                      {"name", r.name},
                      {"bucket", r.bucket},
                      {"key", r.key},
                      {"size", r.size},
                      {"etag", r.etag},
                      {"request_id", r.request_id},
                      {"principal", r.principal},
                      {"source_ip", r.source_ip},
                      {"depth", r.depth},
                      {"outcomes", outcomes}};
  if (r.parent_seq != 0) j["parent"] = r.parent_seq;
  return j;
}

std::optional<int64_t> ParseSince(const std::string& s) {
  uint64_t ms = 0;
  if (ParseU64(s, &ms)) return static_cast<int64_t>(ms);
  if (auto t = ParseHttpDate(s)) return *t * 1000;  // also takes ISO 8601 (…Z)
  return std::nullopt;
}

}  // namespace

s3::Response ListEvents(storage::EventLog* log, const HttpRequest& request) {
  auto query = ParseQuery(request.raw_query);
  if (!query) return BadRequest("malformed query");
  std::string bucket, key;
  bool has_key = false;
  uint64_t after = 0;
  size_t limit = kDefaultLimit;
  int64_t since = 0;
  for (const auto& [name, value] : *query) {
    if (name == "bucket") {
      bucket = value;
    } else if (name == "key") {
      key = value;
      has_key = true;
    } else if (name == "after") {
      if (!ParseU64(value, &after)) return BadRequest("after must be a sequence number");
    } else if (name == "limit") {
      uint64_t n = 0;
      if (!ParseU64(value, &n) || n == 0) return BadRequest("limit must be a positive integer");
      limit = static_cast<size_t>(std::min<uint64_t>(n, kMaxLimit));
    } else if (name == "since") {
      auto t = ParseSince(value);
      if (!t) return BadRequest("since must be ISO 8601 or unix milliseconds");
      since = *t;
    }
  }
  nlohmann::json events = nlohmann::json::array();
  uint64_t cursor = after;
  size_t scanned = 0;
  bool more = false;
  while (events.size() < limit && scanned < kMaxScanned) {
    auto batch = log->Read(cursor, kScanBatch);
    if (!batch.ok())
      return JsonResponse(500, {{"error", "InternalError"}, {"message", batch.status().message()}});
    if (batch->empty()) break;
    for (const auto& r : *batch) {
      cursor = r.seq;
      ++scanned;
      if ((!bucket.empty() && r.bucket != bucket) || (has_key && r.key != key) ||
          r.time_ms < since) {
        continue;
      }
      if (events.size() == limit) {
        more = true;
        break;
      }
      events.push_back(Describe(log, r));
    }
    if (more) break;
  }
  nlohmann::json body = {{"watermark", log->Watermark()}, {"events", events}};
  if (more || scanned >= kMaxScanned)
    body["next_after"] = events.empty() ? cursor : events.back()["seq"].get<uint64_t>();
  return JsonResponse(200, body);
}

s3::Response TraceEvent(storage::EventLog* log, const std::string& seq_text) {
  uint64_t seq = 0;
  if (!ParseU64(seq_text, &seq)) return BadRequest("bad sequence number");
  auto root = log->Get(seq);
  if (!root.ok())
    return JsonResponse(404, {{"error", "NoSuchEvent"}, {"message", root.status().message()}});
  // Children always have larger sequences than their parents, so one forward scan from
  // the root finds the whole chain.
  std::set<uint64_t> chain = {seq};
  nlohmann::json caused = nlohmann::json::array();
  uint64_t cursor = seq;
  size_t scanned = 0;
  while (scanned < kMaxScanned) {
    auto batch = log->Read(cursor, kScanBatch);
    if (!batch.ok() || batch->empty()) break;
    for (const auto& r : *batch) {
      cursor = r.seq;
      ++scanned;
      if (r.parent_seq != 0 && chain.count(r.parent_seq)) {
        chain.insert(r.seq);
        caused.push_back(Describe(log, r));
      }
    }
  }
  return JsonResponse(200, {{"root", Describe(log, *root)}, {"caused", caused}});
}

}  // namespace kumo::admin
