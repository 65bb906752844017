// Serialization of index values: ObjectMeta, BucketInfo, UserRecord and the int64 counter
// vectors kept in the "segments" and "meta" column families. A compact length-prefixed
// binary format that starts with a format version byte, so fields can be appended later
// (a decoder ignores trailing bytes it does not know). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/object_meta.h"
#include "storage/store.h"

namespace kumo::storage {

// Fields appended after the first version, each present only when non-empty (so a
// record without them is byte-identical to one written before they existed): tags.
std::string EncodeObjectMeta(const ObjectMeta& meta);
// with_extents=false skips the extent list (listings do not return it). A record
// written before a field was appended decodes with that field empty.
bool DecodeObjectMeta(std::string_view in, ObjectMeta* meta, bool with_extents = true);

std::string EncodeBucketInfo(const BucketInfo& info);
bool DecodeBucketInfo(std::string_view in, BucketInfo* info);

std::string EncodeUserRecord(const UserRecord& user);
bool DecodeUserRecord(std::string_view in, UserRecord* user);

// A vector of signed 64-bit counters, fixed-width little-endian. Merged element-wise by
// the CounterAddOperator (index.cc), so deltas can be written without a read.
std::string EncodeCounters(const std::vector<int64_t>& counters);
std::vector<int64_t> DecodeCounters(std::string_view in);

}  // namespace kumo::storage
