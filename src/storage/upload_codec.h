// Index encodings of multipart upload state, in two column families:
//
//   uploads  UploadKey(bucket, key, upload id) -> UploadInfo
//   parts    PartKey(upload id, part number)   -> PartInfo
//
// An upload key is BucketPrefix(bucket) + BucketPrefix(key) + upload id: the object key
// gets the same order-preserving escaping and terminator as the bucket name, so the
// uploads of one bucket iterate by key, and the uploads of one key are contiguous and
// ordered by upload id (ids start with a creation stamp: see MultipartStoreImpl). A part
// key is the upload id followed by the 4-byte big-endian part number.
//
// Values use the versioned length-prefixed format of meta_codec.h. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "storage/multipart.h"

namespace kumo::storage {

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id);
// The common prefix of the upload keys of every object key in `bucket` starting with
// `key_prefix` (an empty prefix gives the whole bucket).
std::string UploadKeyPrefix(std::string_view bucket, std::string_view key_prefix);

std::string PartKey(std::string_view upload_id, uint32_t part_number);

// The value of the "extents" entry of a part's extent file: names the owning upload, so
// recovery keeps the file, and it is never mistaken for an object key.
std::string PartOwner(std::string_view upload_id, int part_number);

std::string EncodeUploadInfo(const UploadInfo& upload);
bool DecodeUploadInfo(std::string_view in, UploadInfo* upload);

std::string EncodePartInfo(const PartInfo& part);
bool DecodePartInfo(std::string_view in, PartInfo* part);

}  // namespace kumo::storage
