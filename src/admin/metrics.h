// GET /_kumo/metrics: Prometheus text exposition (format 0.0.4) of the store's space
// accounting and the event pipeline, served without authentication like /_kumo/health:
//   kumo_storage_objects                           objects stored (all buckets)
//   kumo_storage_live_bytes                        sum of their sizes
//   kumo_storage_dead_bytes                        packed-segment bytes awaiting compaction
//   kumo_storage_segments                          packed segment files
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
//   kumo_catalog_cursor                            the last event the catalog applied
//   kumo_catalog_lag                               events it has not applied yet
//   kumo_catalog_lag_seconds                       age of the oldest of them
//   kumo_catalog_objects                           objects in the catalog
//   kumo_catalog_errors_total                      failed batches, rebuilds, writes
//   kumo_catalog_rebuilding                        1 while a rebuild runs
// [Threading] thread-safe (reads the thread-safe Store, Dispatcher and EventLog).
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "events/dispatcher.h"
#include "s3/response.h"
#include "storage/store.h"

namespace kumo::admin {

// The exposition text; dispatcher may be null (then no per-handler families), and so may
// catalog (no kumo_catalog_* families).
std::string RenderMetrics(storage::Store* store, const events::Dispatcher* dispatcher,
                          catalog::Catalog* catalog = nullptr);
// A 200 text/plain; version=0.0.4 response with RenderMetrics.
s3::Response MetricsResponse(storage::Store* store, const events::Dispatcher* dispatcher,
                             catalog::Catalog* catalog = nullptr);

}  // namespace kumo::admin
