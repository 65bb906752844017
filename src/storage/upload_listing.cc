#include "storage/upload_listing.h"

#include <memory>

#include "storage/key_codec.h"
#include "storage/upload_codec.h"

namespace kumo::storage {

namespace {

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

Status Decode(const rocksdb::Iterator& it, UploadInfo* upload) {
  if (DecodeUploadInfo({it.value().data(), it.value().size()}, upload)) return Status::OK();
  return Status::Corruption("bad upload record");
}

// True when the upload comes at or before the markers, i.e. was listed already.
bool BeforeMarkers(const UploadInfo& u, const UploadListOptions& o) {
  if (o.key_marker.empty()) return false;
  if (u.key != o.key_marker) return u.key < o.key_marker;
  return o.upload_id_marker.empty() || u.upload_id <= o.upload_id_marker;
}

}  // namespace

Result<UploadListResult> ListUploadsIndex(Index* index, std::string_view bucket,
                                          const UploadListOptions& o) {
  UploadListResult out;
  if (o.max_uploads == 0) return out;
  const std::string lower = UploadKeyPrefix(bucket, o.prefix);
  // Never empty: the bucket part of lower ends with 0x01.
  const std::string upper = PrefixSuccessor(lower);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(index->db()->NewIterator(ro, index->uploads()));

  const std::string start = UploadKeyPrefix(bucket, o.key_marker);
  it->Seek(ToSlice(start > lower ? start : lower));
  size_t count = 0;
  std::string last_key, last_id;
  while (it->Valid()) {
    UploadInfo u;
    KUMO_RETURN_IF_ERROR(Decode(*it, &u));
    if (BeforeMarkers(u, o)) {
      it->Next();
      continue;
    }
    if (!o.delimiter.empty()) {
      size_t pos = u.key.find(o.delimiter, o.prefix.size());
      if (pos != std::string::npos) {
        std::string common = u.key.substr(0, pos + o.delimiter.size());
        // As in ListObjects: the group was returned already only if it IS the marker.
        if (common != o.key_marker) {
          if (count == o.max_uploads) {
            out.truncated = true;
            break;
          }
          out.common_prefixes.push_back(common);
          last_key = common;
          last_id.clear();
          ++count;
        }
        std::string next = PrefixSuccessor(UploadKeyPrefix(bucket, common));
        if (next.empty()) break;
        it->Seek(ToSlice(next));
        continue;
      }
    }
    if (count == o.max_uploads) {
      out.truncated = true;
      break;
    }
    last_key = u.key;
    last_id = u.upload_id;
    out.uploads.push_back(std::move(u));
    ++count;
    it->Next();
  }
  if (!it->status().ok()) return FromRocks(it->status());
  out.next_key_marker = std::move(last_key);
  out.next_upload_id_marker = std::move(last_id);
  return out;
}

Result<std::vector<UploadInfo>> ScanUploads(Index* index, std::string_view ukey_prefix,
                                            int64_t cutoff_ms) {
  std::vector<UploadInfo> out;
  const std::string upper = PrefixSuccessor(ukey_prefix);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions ro;
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(index->db()->NewIterator(ro, index->uploads()));
  for (it->Seek(ToSlice(ukey_prefix)); it->Valid(); it->Next()) {
    UploadInfo u;
    KUMO_RETURN_IF_ERROR(Decode(*it, &u));
    if (u.initiated_ms < cutoff_ms) out.push_back(std::move(u));
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

}  // namespace kumo::storage
