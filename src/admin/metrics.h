// GET /_kumo/metrics: Prometheus text exposition (format 0.0.4) of the event pipeline,
// served without authentication like /_kumo/health:
//   kumo_events_written_total                      the outbox watermark
//   kumo_events_delivered_total{handler="<name>"}  deliveries since start
//   kumo_events_failed_total{handler="<name>"}     failed attempts since start
//   kumo_events_dead_lettered_total{handler="<name>"}
//   kumo_events_lag{handler="<name>"}              events the handler has not handled
//   kumo_events_running_delivery_seconds{handler="<name>"}
//                                                  age of its longest delivery in progress
//   kumo_function_calls_abandoned                  calls abandoned at their timeout, running
//   kumo_event_dispatch_latency_seconds{handler="<name>"}
//                                                  histogram (_bucket{le}, _sum, _count):
//                                                  commit to the first delivery's start
// [Threading] thread-safe (reads the thread-safe Dispatcher and EventLog).
#pragma once

#include <string>

#include "events/dispatcher.h"
#include "s3/response.h"
#include "storage/event_log.h"

namespace kumo::admin {

// The exposition text; dispatcher may be null (then only the written counter).
std::string RenderMetrics(storage::EventLog* log, const events::Dispatcher* dispatcher);
// A 200 text/plain; version=0.0.4 response with RenderMetrics.
s3::Response MetricsResponse(storage::EventLog* log, const events::Dispatcher* dispatcher);

}  // namespace kumo::admin
