#include "storage/meta_codec.h"

#include "storage/coding.h"

namespace kumo::storage {

namespace {

constexpr char kFormatV1 = 1;

using Pairs = std::vector<std::pair<std::string, std::string>>;

void PutPairs(std::string* out, const Pairs& pairs) {
  PutVarint64(out, pairs.size());
  for (const auto& [k, v] : pairs) {
    PutLengthPrefixed(out, k);
    PutLengthPrefixed(out, v);
  }
}

bool GetPairs(Decoder* d, Pairs* pairs) {
  uint64_t n = d->Varint64();
  pairs->clear();
  for (uint64_t i = 0; i < n && d->ok(); ++i) {
    std::string_view k = d->LengthPrefixed();
    std::string_view v = d->LengthPrefixed();
    pairs->emplace_back(k, v);
  }
  return d->ok();
}

// Zig-zag so that negative timestamps stay short varints.
uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

bool CheckVersion(Decoder* d) { return d->Varint64() == kFormatV1 && d->ok(); }

}  // namespace

std::string EncodeObjectMeta(const ObjectMeta& meta) {
  std::string out;
  out.reserve(128);
  PutVarint64(&out, kFormatV1);
  PutVarint64(&out, meta.size);
  PutLengthPrefixed(&out, meta.etag);
  PutVarint64(&out, ZigZag(meta.mtime_ms));
  PutLengthPrefixed(&out, meta.content_type);
  PutPairs(&out, meta.system_headers);
  PutPairs(&out, meta.user_meta);
  PutPairs(&out, meta.checksums);
  PutLengthPrefixed(&out, meta.owner);
  PutVarint64(&out, meta.extents.size());
  for (const Extent& e : meta.extents) {
    PutVarint64(&out, e.file_id);
    PutVarint64(&out, e.offset);
    PutVarint64(&out, e.length);
    out.push_back(e.packed ? 1 : 0);
  }
  // Appended fields: absent when empty, so older records and older readers agree.
  if (!meta.tags.empty() || !meta.acl.empty()) PutPairs(&out, meta.tags);
  if (!meta.acl.empty()) PutLengthPrefixed(&out, meta.acl);
  return out;
}

bool DecodeObjectMeta(std::string_view in, ObjectMeta* meta, bool with_extents) {
  Decoder d(in);
  if (!CheckVersion(&d)) return false;
  meta->size = d.Varint64();
  meta->etag = d.LengthPrefixed();
  meta->mtime_ms = UnZigZag(d.Varint64());
  meta->content_type = d.LengthPrefixed();
  if (!GetPairs(&d, &meta->system_headers) || !GetPairs(&d, &meta->user_meta) ||
      !GetPairs(&d, &meta->checksums)) {
    return false;
  }
  meta->owner = d.LengthPrefixed();
  meta->extents.clear();
  uint64_t n = d.Varint64();
  for (uint64_t i = 0; i < n && d.ok(); ++i) {
    Extent e;
    e.file_id = d.Varint64();
    e.offset = d.Varint64();
    e.length = d.Varint64();
    e.packed = d.Varint64() != 0;
    if (with_extents) meta->extents.push_back(e);
  }
  meta->tags.clear();
  if (d.ok() && !d.done() && !GetPairs(&d, &meta->tags)) return false;
  meta->acl.clear();
  if (d.ok() && !d.done()) meta->acl = d.LengthPrefixed();
  return d.ok();
}

std::string EncodeBucketInfo(const BucketInfo& info) {
  std::string out;
  PutVarint64(&out, kFormatV1);
  PutLengthPrefixed(&out, info.name);
  PutVarint64(&out, ZigZag(info.created_ms));
  PutLengthPrefixed(&out, info.owner);
  PutLengthPrefixed(&out, info.region);
  return out;
}

bool DecodeBucketInfo(std::string_view in, BucketInfo* info) {
  Decoder d(in);
  if (!CheckVersion(&d)) return false;
  info->name = d.LengthPrefixed();
  info->created_ms = UnZigZag(d.Varint64());
  info->owner = d.LengthPrefixed();
  info->region = d.LengthPrefixed();
  return d.ok();
}

std::string EncodeUserRecord(const UserRecord& user) {
  std::string out;
  PutVarint64(&out, kFormatV1);
  PutLengthPrefixed(&out, user.access_key);
  PutLengthPrefixed(&out, user.secret_key);
  PutVarint64(&out, ZigZag(user.created_ms));
  // Appended: absent when empty, so records written before policies decode unchanged.
  if (!user.policy.empty()) PutLengthPrefixed(&out, user.policy);
  return out;
}

bool DecodeUserRecord(std::string_view in, UserRecord* user) {
  Decoder d(in);
  if (!CheckVersion(&d)) return false;
  user->access_key = d.LengthPrefixed();
  user->secret_key = d.LengthPrefixed();
  user->created_ms = UnZigZag(d.Varint64());
  user->policy.clear();
  if (d.ok() && !d.done()) user->policy = d.LengthPrefixed();
  return d.ok();
}

std::string EncodeCounters(const std::vector<int64_t>& counters) {
  std::string out;
  out.reserve(counters.size() * 8);
  for (int64_t c : counters) PutFixed64(&out, static_cast<uint64_t>(c));
  return out;
}

std::vector<int64_t> DecodeCounters(std::string_view in) {
  std::vector<int64_t> out;
  for (size_t i = 0; i + 8 <= in.size(); i += 8) {
    out.push_back(static_cast<int64_t>(DecodeFixed64(in.data() + i)));
  }
  return out;
}

}  // namespace kumo::storage
