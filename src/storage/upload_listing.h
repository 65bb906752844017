// ListMultipartUploads over the "uploads" column family (upload_codec.h): one RocksDB
// iterator bounded to the bucket and key prefix, delimiter roll-up into common
// prefixes, key-marker / upload-id-marker, max-uploads. Also the plain scans that
// expiry and DeleteBucket need.
// Thread safety: thread-safe (reads a consistent RocksDB iterator view).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/index.h"
#include "storage/multipart.h"

namespace kumo::storage {

// S3 semantics: uploads with key > key_marker, plus (when upload_id_marker is also
// given) those with key == key_marker and upload id > upload_id_marker. Uploads and
// common prefixes both count toward max_uploads. next_key_marker/next_upload_id_marker
// name the last entry returned (the id is empty when it was a common prefix).
Result<UploadListResult> ListUploadsIndex(Index* index, std::string_view bucket,
                                          const UploadListOptions& options);

// Every upload whose index key starts with `ukey_prefix` ("" for all) and that was
// initiated before cutoff_ms, in index order.
Result<std::vector<UploadInfo>> ScanUploads(Index* index, std::string_view ukey_prefix,
                                            int64_t cutoff_ms);

}  // namespace kumo::storage
