// Checksums of multipart uploads. CreateMultipartUpload declares an algorithm and a type:
// COMPOSITE (CRC32, CRC32C, SHA1, SHA256; the default but for CRC64NVME) makes the
// object's checksum base64(hash(concatenated raw part digests)) + "-" + part count;
// FULL_OBJECT (CRC32, CRC32C, CRC64NVME; the default for CRC64NVME) makes it the CRC of
// the whole object, combined from the part CRCs and sizes. An upload records
// {algorithm, type} as checksums[0] of its meta; a stored object checksum is COMPOSITE
// exactly when its value ends in "-N" (base64 has no '-'). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http_request.h"
#include "common/status.h"
#include "s3/checksum.h"
#include "s3/request_checksum.h"
#include "storage/object_meta.h"

namespace kumo::s3 {

enum class ChecksumType { kComposite, kFullObject };

// "COMPOSITE" or "FULL_OBJECT", as in x-amz-checksum-type and ChecksumType elements.
std::string_view ChecksumTypeName(ChecksumType type);
// COMPOSITE when value ends in "-<digits>", else FULL_OBJECT.
ChecksumType StoredChecksumType(std::string_view value);
// "ChecksumCRC32", "ChecksumCRC64NVME", ...: the XML element of a checksum.
std::string ChecksumElementName(ChecksumAlgorithm algorithm);

struct UploadChecksum {
  ChecksumAlgorithm algorithm;
  ChecksumType type;
};

// From the x-amz-checksum-algorithm and x-amz-checksum-type headers of
// CreateMultipartUpload; nullopt without an algorithm. Errors (kInvalidRequest): an
// unknown algorithm or type, a type without an algorithm, a type the algorithm cannot
// have (FULL_OBJECT with SHA*, COMPOSITE with CRC64NVME).
Result<std::optional<UploadChecksum>> ParseUploadChecksum(const HttpRequest& request);

// The upload's record in meta.checksums: {"crc32", "COMPOSITE"}. Decode reads
// checksums[0]; an empty type (older records) means the algorithm's default.
std::pair<std::string, std::string> EncodeUploadChecksum(const UploadChecksum& c);
std::optional<UploadChecksum> DecodeUploadChecksum(const storage::ObjectMeta& upload_meta);

// Whether an UploadPart may carry `part` for an upload declaring `upload`: COMPOSITE
// needs the same algorithm; FULL_OBJECT accepts the same algorithm or none (the server
// computes it); an upload without an algorithm accepts anything. Error:
// kInvalidRequest "Checksum Type mismatch occurred, expected checksum Type: crc32,
// actual checksum Type: null".
Status CheckPartChecksum(const std::optional<UploadChecksum>& upload,
                         const std::optional<RequestChecksum>& part);

struct PartChecksum {
  std::string value;  // base64 of the part's digest
  uint64_t size = 0;  // the part's length in bytes
};

// The object checksum of a completed upload from its parts in order: "<b64>-N" for
// COMPOSITE, the combined CRC for FULL_OBJECT. Error: kInvalidPart when a part value is
// not a digest of the algorithm.
Result<std::string> ObjectChecksum(const UploadChecksum& c, const std::vector<PartChecksum>& parts);

}  // namespace kumo::s3
