// Read-only admin views of the event outbox (root only, behind AdminApi):
//   GET /_kumo/admin/events?bucket=B&key=K&since=<ISO-8601|unix-ms>&after=SEQ&limit=N
//       -> {"watermark": N, "events": [{seq, time, name, bucket, key, size, etag,
//           request_id, principal, source_ip, parent, depth, outcomes: [...]}]}
//   GET /_kumo/admin/events/<seq>/trace
//       -> {"root": {...}, "caused": [...]}: the events whose parent chain leads to seq
// Outcomes are the dispatcher's records (events/event_state.h).
// [Threading] thread-safe (stateless over the thread-safe EventLog).
#pragma once

#include <string>

#include "common/http_request.h"
#include "s3/response.h"
#include "storage/event_log.h"

namespace kumo::admin {

s3::Response ListEvents(storage::EventLog* log, const HttpRequest& request);
s3::Response TraceEvent(storage::EventLog* log, const std::string& seq_text);

}  // namespace kumo::admin
