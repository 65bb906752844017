#include "admin/metrics.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "common/time_util.h"
#include "events/function_handler.h"

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

// A Prometheus number in plain decimal, the shortest that reads back as v ("0.001",
// "2.5", "10"); the sum of microsecond samples needs at most 6 decimals.
std::string Number(double v) {
  char buf[64];
  for (int decimals = 0; decimals <= 9; ++decimals) {
    std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    if (std::strtod(buf, nullptr) == v) return buf;
  }
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

// kumo_event_dispatch_latency_seconds: one histogram per handler, cumulative buckets.
void LatencyFamily(std::string* out, const std::vector<events::HandlerStats>& stats) {
  constexpr const char* kName = "kumo_event_dispatch_latency_seconds";
  out->append("# HELP ").append(kName).append(
      " Commit of an event to the start of its first delivery to the handler.\n");
  out->append("# TYPE ").append(kName).append(" histogram\n");
  for (const auto& s : stats) {
    const std::string handler = EscapeLabel(s.name);
    const events::LatencySnapshot& h = s.dispatch_latency;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < h.buckets.size(); ++i) {
      cumulative += h.buckets[i];
      const std::string le = i < events::kDispatchLatencyBoundsUs.size()
                                 ? Number(events::kDispatchLatencyBoundsUs[i] / 1e6)
                                 : std::string("+Inf");
      out->append(kName)
          .append("_bucket{handler=\"")
          .append(handler)
          .append("\",le=\"")
          .append(le)
          .append("\"} ")
          .append(std::to_string(cumulative))
          .append("\n");
    }
    out->append(kName)
        .append("_sum{handler=\"")
        .append(handler)
        .append("\"} ")
        .append(Number(static_cast<double>(h.sum_us) / 1e6))
        .append("\n");
    out->append(kName)
        .append("_count{handler=\"")
        .append(handler)
        .append("\"} ")
        .append(std::to_string(h.count))
        .append("\n");
  }
}

}  // namespace

std::string RenderMetrics(storage::Store* store, const events::Dispatcher* dispatcher,
                          catalog::Catalog* catalog) {
  std::string out;
  const storage::StoreStats space = store->Stats();
  const auto gauge = [&out](const char* name, const char* help, uint64_t value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
  };
  gauge("kumo_storage_objects", "Objects stored, all buckets.", space.objects);
  gauge("kumo_storage_live_bytes", "Sum of the sizes of the stored objects.", space.live_bytes);
  gauge("kumo_storage_dead_bytes", "Packed segment bytes awaiting compaction.", space.dead_bytes);
  gauge("kumo_storage_segments", "Packed segment files.", space.segments);
  storage::EventLog* log = store->events();
  out += "# HELP kumo_events_written_total Events written to the outbox (its watermark).\n";
  out += "# TYPE kumo_events_written_total counter\n";
  out += "kumo_events_written_total " + std::to_string(log->Watermark()) + "\n";
  out +=
      "# HELP kumo_function_calls_abandoned Function calls abandoned at their timeout and "
      "still running.\n";
  out += "# TYPE kumo_function_calls_abandoned gauge\n";
  out += "kumo_function_calls_abandoned " + std::to_string(events::AbandonedCalls()) + "\n";
  if (catalog != nullptr) {
    const auto c = catalog->GetStatus();
    gauge("kumo_catalog_cursor", "The last event the catalog applied.", c.cursor);
    gauge("kumo_catalog_lag", "Events written but not yet in the catalog.", c.lag_events);
    out += "# HELP kumo_catalog_lag_seconds Age of the oldest event not yet in the catalog.\n";
    out += "# TYPE kumo_catalog_lag_seconds gauge\n";
    out += "kumo_catalog_lag_seconds " + Number(static_cast<double>(c.lag_ms) / 1000.0) + "\n";
    gauge("kumo_catalog_objects", "Objects in the catalog.",
          static_cast<uint64_t>(std::max<int64_t>(0, c.objects)));
    out += "# HELP kumo_catalog_errors_total Failed catalog batches, rebuilds and writes.\n";
    out += "# TYPE kumo_catalog_errors_total counter\n";
    out += "kumo_catalog_errors_total " + std::to_string(c.errors) + "\n";
    gauge("kumo_catalog_rebuilding", "1 while a catalog rebuild runs.", c.rebuilding ? 1 : 0);
  }
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
  Family(&out, "kumo_events_handler_unavailable", "gauge",
         "1 while the handler's target is unavailable (deliveries paused, probing).", stats,
         [](const events::HandlerStats& s) { return s.unavailable_since_ms != 0 ? 1u : 0u; });
  Family(&out, "kumo_events_handler_unavailable_seconds", "gauge",
         "How long the handler's target has been unavailable (0: available).", stats,
         [](const events::HandlerStats& s) {
           return s.unavailable_since_ms == 0
                      ? uint64_t{0}
                      : static_cast<uint64_t>(
                            std::max<int64_t>(0, (NowMillis() - s.unavailable_since_ms) / 1000));
         });
  Family(&out, "kumo_events_running_delivery_seconds", "gauge",
         "Age in whole seconds of the handler's longest-running delivery (0: none running).", stats,
         [](const events::HandlerStats& s) {
           return static_cast<uint64_t>(s.running_delivery_ms / 1000);
         });
  LatencyFamily(&out, stats);
  return out;
}

s3::Response MetricsResponse(storage::Store* store, const events::Dispatcher* dispatcher,
                             catalog::Catalog* catalog) {
  s3::Response r;
  r.status = 200;
  r.Set("Content-Type", "text/plain; version=0.0.4");
  r.body = RenderMetrics(store, dispatcher, catalog);
  return r;
}

}  // namespace kumo::admin
