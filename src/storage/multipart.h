// Multipart upload state (ARCHITECTURE §2): each part streams to its own extent file;
// completing an upload is one atomic index commit that makes the object reference the
// chosen parts' extents, without copying their bytes.
//
// Thread safety: MultipartStore is thread-safe; a PartWriter is used by one thread.
// Concurrent uploads of the same part number: the last commit wins, the loser's extent
// becomes garbage. Complete and Abort of the same upload are serialized; the loser gets
// kNoSuchUpload.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/event_record.h"
#include "storage/object_meta.h"

namespace kumo::storage {

struct UploadInfo {
  std::string upload_id;
  std::string bucket;
  std::string key;
  int64_t initiated_ms = 0;
  // Attributes given at CreateMultipartUpload (content type, metadata, owner,
  // checksum algorithm in checksums[0].first if any); size/etag/extents unset.
  ObjectMeta meta;
};

struct PartInfo {
  int part_number = 0;
  uint64_t size = 0;
  std::string etag;  // unquoted hex MD5 of the part
  int64_t mtime_ms = 0;
  std::vector<std::pair<std::string, std::string>> checksums;
  Extent extent;
};

// Streams one part to its extent file. Destroying it without Commit discards the bytes.
class PartWriter {
 public:
  virtual ~PartWriter() = default;
  virtual Status Append(std::string_view data) = 0;
  // Fsyncs the part, then records it in one synced batch, replacing an earlier part with
  // the same number (whose bytes become dead). part.size/extent are filled by the store.
  // Errors: kNoSuchUpload if the upload was completed or aborted meanwhile.
  virtual Result<PartInfo> Commit(PartInfo part) = 0;
};

struct UploadListOptions {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  size_t max_uploads = 1000;
};

struct UploadListResult {
  std::vector<UploadInfo> uploads;           // ordered by (key, initiated, upload id)
  std::vector<std::string> common_prefixes;  // like ListObjects
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

class MultipartStore {
 public:
  virtual ~MultipartStore() = default;
  // Creates an upload and returns it with a new unique upload id. Errors: kNoSuchBucket.
  virtual Result<UploadInfo> CreateUpload(std::string_view bucket, std::string_view key,
                                          ObjectMeta meta, int64_t now_ms) = 0;
  // Errors: kNoSuchUpload (also when bucket/key do not match the id).
  virtual Result<UploadInfo> GetUpload(std::string_view bucket, std::string_view key,
                                       std::string_view upload_id) = 0;
  // part_number 1..10000. Errors: kNoSuchUpload.
  virtual Result<std::unique_ptr<PartWriter>> NewPartWriter(std::string_view bucket,
                                                            std::string_view key,
                                                            std::string_view upload_id,
                                                            int part_number) = 0;
  // Parts with number > after_part, ascending, at most max_parts; *truncated set when
  // more remain. Errors: kNoSuchUpload.
  virtual Result<std::vector<PartInfo>> ListParts(std::string_view bucket, std::string_view key,
                                                  std::string_view upload_id, int after_part,
                                                  size_t max_parts, bool* truncated) = 0;
  // Checks the parts an object will be made of and fills in what depends on them
  // (ETag, checksums). Called by CompleteUpload under the upload's lock, with the stored
  // records of the requested part numbers in the requested order: exactly the records
  // the object is committed from, so no part re-uploaded meanwhile slips in unchecked.
  // An error aborts the completion and is returned by CompleteUpload.
  // [Locking] Runs with the upload's lock held: it must not call back into the store.
  using PartValidator = std::function<Status(const std::vector<PartInfo>& parts, ObjectMeta* meta)>;

  // Atomically: the object (bucket, key) becomes `meta` whose bytes are the given parts'
  // extents in the given order (meta.size and meta.extents are filled by the store);
  // the upload and all its part records are removed; parts not listed become dead
  // bytes, as does the object previously stored at the key. `validate` (if set) checks
  // the part records under the upload's lock first (see PartValidator). Errors:
  // kNoSuchUpload, kInvalidPart if a listed part does not exist, those of `validate`.
  virtual Result<ObjectMeta> CompleteUpload(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id,
                                            const std::vector<int>& part_numbers, ObjectMeta meta,
                                            const EventIntent* event = nullptr,
                                            const PartValidator& validate = nullptr) = 0;
  // Removes the upload and frees its parts. Errors: kNoSuchUpload.
  virtual Status AbortUpload(std::string_view bucket, std::string_view key,
                             std::string_view upload_id) = 0;
  // Errors: kNoSuchBucket.
  virtual Result<UploadListResult> ListUploads(std::string_view bucket,
                                               const UploadListOptions& options) = 0;
  // Aborts uploads initiated before cutoff_ms (abandoned uploads); returns how many.
  virtual Result<size_t> ExpireUploads(int64_t cutoff_ms) = 0;
};

}  // namespace kumo::storage
