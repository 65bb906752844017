// Admin views and controls of the event dispatcher's handlers and dead letters (root
// only, behind AdminApi):
//   GET    /_kumo/admin/handlers
//          -> {"handlers":[{name, arn, cursor, lag, delivered, failed, dead_lettered}]}
//   POST   /_kumo/admin/handlers/<name>/replay?from=SEQ | ?since=<ISO 8601|unix ms>
//          -> {"handler":.., "from": SEQ}; since maps to the first event at or after it
//   GET    /_kumo/admin/deadletters[?handler=NAME&limit=N]
//          -> {"deadletters":[{seq, handler, rule_id, error, attempts, time, event,
//              bucket, key}]}
//   POST   /_kumo/admin/deadletters/<handler>/<seq>/retry
//   DELETE /_kumo/admin/deadletters/<handler>/<seq>
// An unknown handler or dead letter answers 404; no dispatcher answers 503.
// [Threading] thread-safe (stateless over the thread-safe Dispatcher and EventLog).
#pragma once

#include <optional>
#include <string>

#include "common/http_request.h"
#include "events/dispatcher.h"
#include "s3/response.h"
#include "storage/event_log.h"

namespace kumo::admin {

// Handles a path under /_kumo/admin/handlers or /_kumo/admin/deadletters;
// std::nullopt when the path is neither. dispatcher may be null.
std::optional<s3::Response> HandleHandlersApi(events::Dispatcher* dispatcher,
                                              storage::EventLog* log, const HttpRequest& request);

// The sequence of the first event whose time is >= time_ms (Watermark() + 1 when there
// is none). Reads the log in order, at most max_scanned records.
Result<uint64_t> FirstSeqAtOrAfter(storage::EventLog* log, int64_t time_ms,
                                   size_t max_scanned = 2000000);

}  // namespace kumo::admin
