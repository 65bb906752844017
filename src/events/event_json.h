// Renders an outbox record as the AWS S3 event message (eventVersion 2.1), the JSON
// handlers written for S3 + Lambda read unchanged, plus a "kumo" extension object with
// the global sequence, the parent event's sequence and the chain depth. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "storage/event_record.h"

namespace kumo::events {

// configuration_id: the Id of the notification rule that selected the event.
std::string RenderEventJson(const storage::EventRecord& record, std::string_view configuration_id,
                            std::string_view region);

// The s3:TestEvent S3 sends to a target when a configuration is set.
std::string RenderTestEventJson(std::string_view bucket, std::string_view request_id,
                                int64_t time_ms);

// Appends s as a JSON string literal (quotes, backslashes and control characters
// escaped; UTF-8 passed through).
void AppendJsonString(std::string* out, std::string_view s);

// S3's sequencer for a record: upper-case hex, increasing per key.
std::string Sequencer(uint64_t seq);

}  // namespace kumo::events
