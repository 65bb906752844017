#include "admin/handlers_api.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "admin/json_response.h"
#include "common/time_util.h"
#include "s3/errors.h"

namespace kumo::admin {

namespace {

constexpr std::string_view kHandlers = "/_kumo/admin/handlers";
constexpr std::string_view kDeadLetters = "/_kumo/admin/deadletters";
constexpr size_t kScanBatch = 1024;
constexpr size_t kDefaultDeadLetterLimit = 1000;
constexpr size_t kMaxDeadLetterLimit = 100000;

s3::Response Error(int status, const std::string& code, const std::string& message) {
  return JsonResponse(status, {{"error", code}, {"message", message}});
}

s3::Response StatusError(const Status& s) {
  auto info = s3::ErrorInfoFor(s.code());
  return Error(info.http_status, std::string(info.code), s.message());
}

s3::Response MethodNotAllowed() { return Error(405, "MethodNotAllowed", "method not allowed"); }

bool ParseU64(std::string_view s, uint64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// ISO 8601 (also with fractional seconds, "2024-05-01T12:00:00.250Z") or an HTTP date,
// as unix milliseconds.
std::optional<int64_t> ParseTime(std::string_view text) {
  int64_t millis = 0;
  std::string whole(text);
  size_t dot = whole.find('.');
  if (dot != std::string::npos && whole.find('T') != std::string::npos && dot > whole.find('T')) {
    size_t end = dot + 1;
    while (end < whole.size() && whole[end] >= '0' && whole[end] <= '9') ++end;
    std::string digits = whole.substr(dot + 1, end - dot - 1);
    if (digits.empty()) return std::nullopt;
    digits.resize(3, '0');  // milliseconds: drop finer digits, pad coarser ones
    millis = std::stoll(digits);
    whole.erase(dot, end - dot);
  }
  auto seconds = ParseHttpDate(whole);
  if (!seconds) return std::nullopt;
  return *seconds * 1000 + millis;
}

bool KnownHandler(events::Dispatcher* dispatcher, const std::string& name) {
  for (const auto& s : dispatcher->Stats()) {
    if (s.name == name) return true;
  }
  return false;
}

s3::Response NoSuchHandler(const std::string& name) {
  return Error(404, "NoSuchHandler", "no handler named " + name);
}

// Splits a percent-encoded path tail ("a/b/c") into decoded segments.
std::optional<std::vector<std::string>> Segments(std::string_view rest) {
  std::vector<std::string> out;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    auto decoded = UrlDecode(part);
    if (!decoded || decoded->empty()) return std::nullopt;
    out.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

s3::Response ListHandlers(events::Dispatcher* dispatcher) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : dispatcher->Stats()) {
    list.push_back(
        {{"name", s.name},
         {"arn", s.arn},
         {"cursor", s.cursor},
         {"lag", s.lag},
         {"delivered", s.delivered},
         {"failed", s.failed_attempts},
         {"dead_lettered", s.dead_lettered},
         {"faults", s.faults},
         {"unavailable_since", s.unavailable_since_ms == 0
                                   ? nlohmann::json(nullptr)
                                   : nlohmann::json(FormatIso8601Millis(s.unavailable_since_ms))},
         {"unavailable_reason", s.unavailable_reason},
         {"waiting", s.lag}});
  }
  return JsonResponse(200, {{"handlers", list}});
}

s3::Response Replay(events::Dispatcher* dispatcher, storage::EventLog* log,
                    const std::string& handler, const HttpRequest& request) {
  if (!KnownHandler(dispatcher, handler)) return NoSuchHandler(handler);
  auto query = ParseQuery(request.raw_query);
  if (!query) return Error(400, "InvalidArgument", "malformed query");
  std::optional<uint64_t> from;
  for (const auto& [name, value] : *query) {
    if (name == "from") {
      uint64_t seq = 0;
      if (!ParseU64(value, &seq) || seq == 0) {
        return Error(400, "InvalidArgument", "from must be a positive sequence");
      }
      from = seq;
    } else if (name == "since") {
      int64_t ms = 0;
      uint64_t n = 0;
      if (ParseU64(value, &n)) {
        ms = static_cast<int64_t>(n);
      } else if (auto t = ParseTime(value)) {
        ms = *t;
      } else {
        return Error(400, "InvalidArgument", "since must be ISO 8601 or unix milliseconds");
      }
      auto seq = FirstSeqAtOrAfter(log, ms);
      if (!seq.ok()) return StatusError(seq.status());
      from = *seq;
    }
  }
  if (!from) return Error(400, "InvalidArgument", "replay needs ?from=SEQ or ?since=TIME");
  Status s = dispatcher->Replay(handler, *from);
  if (!s.ok()) {
    if (s.code() == ErrorCode::kNoSuchKey) return NoSuchHandler(handler);
    return StatusError(s);
  }
  return JsonResponse(200, {{"handler", handler}, {"from", *from}});
}

s3::Response ListDeadLetters(events::Dispatcher* dispatcher, const HttpRequest& request) {
  auto query = ParseQuery(request.raw_query);
  if (!query) return Error(400, "InvalidArgument", "malformed query");
  std::string handler;
  size_t limit = kDefaultDeadLetterLimit;
  for (const auto& [name, value] : *query) {
    if (name == "handler") {
      handler = value;
    } else if (name == "limit") {
      uint64_t n = 0;
      if (!ParseU64(value, &n) || n == 0) {
        return Error(400, "InvalidArgument", "limit must be a positive integer");
      }
      limit = static_cast<size_t>(std::min<uint64_t>(n, kMaxDeadLetterLimit));
    }
  }
  if (!handler.empty() && !KnownHandler(dispatcher, handler)) return NoSuchHandler(handler);
  auto dead = dispatcher->ListDeadLetters(handler, limit);
  if (!dead.ok()) return StatusError(dead.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : *dead) {
    list.push_back({{"seq", d.seq},
                    {"handler", d.handler},
                    {"rule_id", d.rule_id},
                    {"error", d.error},
                    {"attempts", d.attempts},
                    {"time", FormatIso8601Millis(d.time_ms)},
                    {"event", d.record.name},
                    {"bucket", d.record.bucket},
                    {"key", d.record.key}});
  }
  return JsonResponse(200, {{"deadletters", list}});
}

s3::Response DeadLetterAction(events::Dispatcher* dispatcher, const HttpRequest& request,
                              const std::vector<std::string>& parts) {
  // parts: handler, seq[, "retry"]
  const std::string& handler = parts[0];
  uint64_t seq = 0;
  if (!ParseU64(parts[1], &seq) || seq == 0) {
    return Error(400, "InvalidArgument", "bad dead letter sequence " + parts[1]);
  }
  if (!KnownHandler(dispatcher, handler)) return NoSuchHandler(handler);
  bool retry = parts.size() == 3;
  if (retry && (parts[2] != "retry")) {
    return Error(404, "NoSuchResource", "unknown dead letter action " + parts[2]);
  }
  if (retry ? request.method != "POST" : request.method != "DELETE") return MethodNotAllowed();
  Status s =
      retry ? dispatcher->RetryDeadLetter(handler, seq) : dispatcher->DropDeadLetter(handler, seq);
  if (!s.ok()) {
    if (s.code() == ErrorCode::kNoSuchKey) {
      return Error(404, "NoSuchDeadLetter", s.message());
    }
    return StatusError(s);
  }
  return JsonResponse(200,
                      {{"handler", handler}, {"seq", seq}, {retry ? "retried" : "dropped", true}});
}

}  // namespace

Result<uint64_t> FirstSeqAtOrAfter(storage::EventLog* log, int64_t time_ms, size_t max_scanned) {
  uint64_t after = 0;
  size_t scanned = 0;
  while (scanned < max_scanned) {
    auto batch = log->Read(after, kScanBatch);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const auto& r : *batch) {
      if (r.time_ms >= time_ms) return r.seq;
    }
    after = batch->back().seq;
    scanned += batch->size();
  }
  return log->Watermark() + 1;
}

std::optional<s3::Response> HandleHandlersApi(events::Dispatcher* dispatcher,
                                              storage::EventLog* log, const HttpRequest& request) {
  const std::string& path = request.raw_path;
  bool handlers = path.rfind(kHandlers, 0) == 0 &&
                  (path.size() == kHandlers.size() || path[kHandlers.size()] == '/');
  bool dead = path.rfind(kDeadLetters, 0) == 0 &&
              (path.size() == kDeadLetters.size() || path[kDeadLetters.size()] == '/');
  if (!handlers && !dead) return std::nullopt;
  if (dispatcher == nullptr) {
    return Error(503, "ServiceUnavailable", "the event dispatcher is not running");
  }
  std::string_view rest(path);
  rest.remove_prefix(handlers ? kHandlers.size() : kDeadLetters.size());
  if (!rest.empty()) rest.remove_prefix(1);
  auto parts = Segments(rest);
  if (!parts) return Error(400, "InvalidArgument", "malformed path " + path);

  if (handlers) {
    if (parts->empty()) {
      if (request.method != "GET") return MethodNotAllowed();
      return ListHandlers(dispatcher);
    }
    if (parts->size() == 2 && (*parts)[1] == "replay") {
      if (request.method != "POST") return MethodNotAllowed();
      return Replay(dispatcher, log, (*parts)[0], request);
    }
  } else {
    if (parts->empty()) {
      if (request.method != "GET") return MethodNotAllowed();
      return ListDeadLetters(dispatcher, request);
    }
    if (parts->size() == 2 || parts->size() == 3) {
      return DeadLetterAction(dispatcher, request, *parts);
    }
  }
  return Error(404, "NoSuchResource", "unknown admin path " + path);
}

}  // namespace kumo::admin
