// Order-preserving encodings for RocksDB keys.
//
// An object's index key is EscapedBucket(bucket) + 0x00 0x01 + key. Inside a bucket name
// each 0x00 byte is written as 0x00 0xFF, so the terminator 0x00 0x01 sorts below every
// continuation of the name: all keys of bucket "a" sort before any key of bucket "ab",
// and a listing bounded by BucketPrefix("a") can never see another bucket. Object keys
// follow raw, so keys of one bucket order as unsigned bytes, exactly like S3.
//
// File ids (segment and extent numbers) are fixed 8-byte big-endian so they also iterate
// in numeric order. All functions are pure; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kumo::storage {

// The common prefix of every index key of `bucket`.
std::string BucketPrefix(std::string_view bucket);
std::string EncodeObjectKey(std::string_view bucket, std::string_view key);
// Splits an index key back into bucket and object key. Returns false if malformed.
bool DecodeObjectKey(std::string_view ikey, std::string* bucket, std::string* key);

// The smallest string greater than every string that starts with `prefix`, or "" when
// none exists (prefix empty or all 0xFF): "" then means "no upper bound".
std::string PrefixSuccessor(std::string_view prefix);

std::string EncodeFileId(uint64_t id);
bool DecodeFileId(std::string_view s, uint64_t* id);

}  // namespace kumo::storage
