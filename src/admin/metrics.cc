#include "admin/metrics.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace kumo::admin {

namespace {

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabel(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Family(std::string* out, const char* name, const char* type, const char* help,
            const std::vector<events::HandlerStats>& stats,
            const std::function<uint64_t(const events::HandlerStats&)>& value) {
  *out += std::string("# HELP ") + name + " " + help + "\n";
  *out += std::string("# TYPE ") + name + " " + type + "\n";
  for (const auto& s : stats) {
    *out += std::string(name) + "{handler=\"" + EscapeLabel(s.name) + "\"} " +
            std::to_string(value(s)) + "\n";
  }
}

}  // namespace

std::string RenderMetrics(storage::EventLog* log, const events::Dispatcher* dispatcher) {
  std::string out;
  out += "# HELP kumo_events_written_total Events written to the outbox (its watermark).\n";
  out += "# TYPE kumo_events_written_total counter\n";
  out += "kumo_events_written_total " + std::to_string(log->Watermark()) + "\n";
  if (dispatcher == nullptr) return out;
  auto stats = dispatcher->Stats();
  Family(&out, "kumo_events_delivered_total", "counter", "Events delivered since start.", stats,
         [](const events::HandlerStats& s) { return s.delivered; });
  Family(&out, "kumo_events_failed_total", "counter", "Failed delivery attempts since start.",
         stats, [](const events::HandlerStats& s) { return s.failed_attempts; });
  Family(&out, "kumo_events_dead_lettered_total", "counter", "Events dead-lettered since start.",
         stats, [](const events::HandlerStats& s) { return s.dead_lettered; });
  Family(&out, "kumo_events_lag", "gauge", "Events written but not yet handled.", stats,
         [](const events::HandlerStats& s) { return s.lag; });
  return out;
}

s3::Response MetricsResponse(storage::EventLog* log, const events::Dispatcher* dispatcher) {
  s3::Response r;
  r.status = 200;
  r.Set("Content-Type", "text/plain; version=0.0.4");
  r.body = RenderMetrics(log, dispatcher);
  return r;
}

}  // namespace kumo::admin
