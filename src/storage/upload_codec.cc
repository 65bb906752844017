#include "storage/upload_codec.h"

#include "storage/coding.h"
#include "storage/key_codec.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

constexpr uint64_t kFormatV1 = 1;

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

bool CheckVersion(Decoder* d) { return d->Varint64() == kFormatV1 && d->ok(); }

}  // namespace

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string out = BucketPrefix(bucket);
  out += BucketPrefix(key);
  out.append(upload_id);
  return out;
}

std::string UploadKeyPrefix(std::string_view bucket, std::string_view key_prefix) {
  std::string escaped = BucketPrefix(key_prefix);
  escaped.resize(escaped.size() - 2);  // drop the terminator: a prefix, not a whole key
  return BucketPrefix(bucket) + escaped;
}

std::string PartKey(std::string_view upload_id, uint32_t part_number) {
  std::string out(upload_id);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((part_number >> shift) & 0xff));
  }
  return out;
}

std::string PartOwner(std::string_view upload_id, int part_number) {
  std::string out = "upload:";
  out.append(upload_id);
  out += ':';
  out += std::to_string(part_number);
  return out;
}

std::string EncodeUploadInfo(const UploadInfo& upload) {
  std::string out;
  PutVarint64(&out, kFormatV1);
  PutLengthPrefixed(&out, upload.upload_id);
  PutLengthPrefixed(&out, upload.bucket);
  PutLengthPrefixed(&out, upload.key);
  PutFixed64(&out, static_cast<uint64_t>(upload.initiated_ms));
  PutLengthPrefixed(&out, EncodeObjectMeta(upload.meta));
  return out;
}

bool DecodeUploadInfo(std::string_view in, UploadInfo* upload) {
  Decoder d(in);
  if (!CheckVersion(&d)) return false;
  upload->upload_id = d.LengthPrefixed();
  upload->bucket = d.LengthPrefixed();
  upload->key = d.LengthPrefixed();
  upload->initiated_ms = static_cast<int64_t>(d.Fixed64());
  std::string_view meta = d.LengthPrefixed();
  return d.ok() && DecodeObjectMeta(meta, &upload->meta);
}

std::string EncodePartInfo(const PartInfo& part) {
  std::string out;
  PutVarint64(&out, kFormatV1);
  PutVarint64(&out, static_cast<uint64_t>(part.part_number));
  PutVarint64(&out, part.size);
  PutLengthPrefixed(&out, part.etag);
  PutFixed64(&out, static_cast<uint64_t>(part.mtime_ms));
  PutPairs(&out, part.checksums);
  PutVarint64(&out, part.extent.file_id);
  PutVarint64(&out, part.extent.offset);
  PutVarint64(&out, part.extent.length);
  out.push_back(part.extent.packed ? 1 : 0);
  return out;
}

bool DecodePartInfo(std::string_view in, PartInfo* part) {
  Decoder d(in);
  if (!CheckVersion(&d)) return false;
  part->part_number = static_cast<int>(d.Varint64());
  part->size = d.Varint64();
  part->etag = d.LengthPrefixed();
  part->mtime_ms = static_cast<int64_t>(d.Fixed64());
  if (!GetPairs(&d, &part->checksums)) return false;
  part->extent.file_id = d.Varint64();
  part->extent.offset = d.Varint64();
  part->extent.length = d.Varint64();
  part->extent.packed = d.Varint64() != 0;
  return d.ok();
}

}  // namespace kumo::storage
