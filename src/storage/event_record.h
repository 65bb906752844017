// The outbox records of ARCHITECTURE §3. An EventIntent travels with a change into the
// index writer; the writer turns it into an EventRecord with the next sequence number
// and stores it in the same WriteBatch as the change, so after a crash an acknowledged
// change always has its event and an event never exists without its change.
// Plain values; not synchronized.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kumo::storage {

// The internal event of a metadata change made by a function (the plugin host's
// set_metadata): not an S3 event, so no notification rule can select it; the catalog
// follows it.
inline constexpr std::string_view kObjectMetadataEvent = "ObjectMetadata:Put";

struct EventIntent {
  std::string name;  // S3 event name without "s3:", e.g. "ObjectCreated:Put"
  std::string request_id;
  std::string principal;
  std::string source_ip;
  uint64_t parent_seq = 0;  // the event whose handler caused this change, or 0
  uint32_t depth = 0;       // chain depth: 0 for a change made by a client
};

struct EventRecord {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string name;
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;  // unquoted; empty for removals
  std::string request_id;
  std::string principal;
  std::string source_ip;
  uint64_t parent_seq = 0;
  uint32_t depth = 0;
};

std::string EncodeEventRecord(const EventRecord& r);
bool DecodeEventRecord(std::string_view in, EventRecord* r);

}  // namespace kumo::storage
