// The s3:TestEvent S3 sends to each target of a notification configuration when the
// configuration is set. It is not in the outbox: its record has sequence 0 and the
// event name "s3:TestEvent"; its payload is RenderTestEventJson. Pure values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/event_record.h"

namespace kumo::events {

inline constexpr std::string_view kTestEventName = "s3:TestEvent";

inline storage::EventRecord TestEventRecord(std::string bucket, int64_t time_ms) {
  storage::EventRecord r;
  r.name = std::string(kTestEventName);
  r.bucket = std::move(bucket);
  r.time_ms = time_ms;
  return r;
}

inline bool IsTestEvent(const storage::EventRecord& r) {
  return r.seq == 0 && r.name == kTestEventName;
}

}  // namespace kumo::events
