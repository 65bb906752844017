#include "storage/event_record.h"

#include "storage/coding.h"

namespace kumo::storage {

namespace {
constexpr uint64_t kVersion = 1;
}

std::string EncodeEventRecord(const EventRecord& r) {
  std::string out;
  PutVarint64(&out, kVersion);
  PutVarint64(&out, r.seq);
  PutVarint64(&out, static_cast<uint64_t>(r.time_ms));
  PutLengthPrefixed(&out, r.name);
  PutLengthPrefixed(&out, r.bucket);
  PutLengthPrefixed(&out, r.key);
  PutVarint64(&out, r.size);
  PutLengthPrefixed(&out, r.etag);
  PutLengthPrefixed(&out, r.request_id);
  PutLengthPrefixed(&out, r.principal);
  PutLengthPrefixed(&out, r.source_ip);
  PutVarint64(&out, r.parent_seq);
  PutVarint64(&out, r.depth);
  return out;
}

bool DecodeEventRecord(std::string_view in, EventRecord* r) {
  Decoder d(in);
  if (d.Varint64() != kVersion) return false;
  r->seq = d.Varint64();
  r->time_ms = static_cast<int64_t>(d.Varint64());
  r->name = std::string(d.LengthPrefixed());
  r->bucket = std::string(d.LengthPrefixed());
  r->key = std::string(d.LengthPrefixed());
  r->size = d.Varint64();
  r->etag = std::string(d.LengthPrefixed());
  r->request_id = std::string(d.LengthPrefixed());
  r->principal = std::string(d.LengthPrefixed());
  r->source_ip = std::string(d.LengthPrefixed());
  r->parent_seq = d.Varint64();
  r->depth = static_cast<uint32_t>(d.Varint64());
  return d.ok() && d.done();
}

}  // namespace kumo::storage
