// What the index records about one object: its attributes as S3 reports them and where
// its bytes live. Plain values; not synchronized.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kumo::storage {

// A run of bytes in a blob file. Packed segments hold many small objects; an extent file
// holds exactly one large object (or one multipart part).
struct Extent {
  uint64_t file_id = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
  bool packed = false;  // true: blobs/seg-<file_id>; false: blobs/ext-<file_id>
};

struct ObjectMeta {
  uint64_t size = 0;
  std::string etag;  // unquoted, lower-case hex MD5 (multipart: "<hex>-<N>")
  int64_t mtime_ms = 0;
  std::string content_type;
  // Stored system headers, lower-case names: content-encoding, content-disposition,
  // content-language, cache-control, expires.
  std::vector<std::pair<std::string, std::string>> system_headers;
  // User metadata, names lower-case WITHOUT the "x-amz-meta-" prefix.
  std::vector<std::pair<std::string, std::string>> user_meta;
  // Stored checksums, e.g. {"crc32", "<base64>"}.
  std::vector<std::pair<std::string, std::string>> checksums;
  std::string owner;  // access key of the writer
  std::vector<Extent> extents;
  // Object tags, stored as given (the S3 layer validates them and sorts them by key).
  std::vector<std::pair<std::string, std::string>> tags;
  // The object's ACL in policy/acl.h's stored form; empty: the owner's full control.
  std::string acl;
};

struct BucketInfo {
  std::string name;
  int64_t created_ms = 0;
  std::string owner;
  std::string region;
};

}  // namespace kumo::storage
