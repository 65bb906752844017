// Fuzzes the Range header (ResolveRange) and the conditional headers (If-Match,
// If-None-Match, If-Modified-Since, If-Unmodified-Since: EvaluateConditions,
// EtagListMatches, ParseHttpDate). Input: object size, etag, mtime, then the header
// values. Invariants checked: a resolved range is non-empty and lies within the object;
// a copy-source evaluation never answers 304; a list holding "*" matches every etag.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/time_util.h"
#include "s3/conditional.h"
#include "s3/range.h"

namespace {

void CheckRange(const std::string& header, uint64_t size) {
  auto r = kumo::s3::ResolveRange(header, size);
  if (!r.ok()) {
    if (!r.status().Is(kumo::ErrorCode::kInvalidRange)) abort();
    return;
  }
  if (!r->has_value()) return;
  const kumo::s3::ByteRange& range = **r;
  if (range.length == 0 || range.first >= size || range.length > size - range.first) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // Mostly small sizes, so ranges hit the edges of the object.
  uint64_t object_size = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint64_t>(0, 16)
                                          : in.ConsumeIntegral<uint64_t>();
  std::string etag = in.ConsumeRandomLengthString(64);
  int64_t mtime = in.ConsumeIntegral<int64_t>();
  std::string if_match = in.ConsumeRandomLengthString(256);
  std::string if_none_match = in.ConsumeRandomLengthString(256);
  std::string if_modified_since = in.ConsumeRandomLengthString(64);
  std::string if_unmodified_since = in.ConsumeRandomLengthString(64);
  uint8_t present = in.ConsumeIntegral<uint8_t>();
  std::string range = in.ConsumeRemainingBytesAsString();

  CheckRange(range, object_size);
  CheckRange(range, 0);
  CheckRange("bytes=" + range, object_size);

  kumo::s3::Conditions c;
  if (present & 1) c.if_match = &if_match;
  if (present & 2) c.if_none_match = &if_none_match;
  if (present & 4) c.if_modified_since = &if_modified_since;
  if (present & 8) c.if_unmodified_since = &if_unmodified_since;
  kumo::Status s = kumo::s3::EvaluateConditions(c, etag, mtime);
  if (!s.ok() && !s.Is(kumo::ErrorCode::kNotModified) &&
      !s.Is(kumo::ErrorCode::kPreconditionFailed)) {
    abort();
  }
  kumo::Status copy = kumo::s3::EvaluateCopySourceConditions(c, etag, mtime);
  if (copy.Is(kumo::ErrorCode::kNotModified)) abort();

  // An empty item after a trailing comma matches nothing (ETags are never empty).
  if (!etag.empty() && kumo::s3::EtagListMatches(if_match, etag) !=
                           kumo::s3::EtagListMatches(if_match + ",", etag)) {
    abort();
  }
  if (!kumo::s3::EtagListMatches(if_match + ", *", etag)) abort();

  // A date that parses is printed back as the same instant.
  if (auto t = kumo::ParseHttpDate(if_modified_since)) {
    if (*t >= -62135596800 && *t <= 253402300799) {  // years 1 to 9999
      auto again = kumo::ParseHttpDate(kumo::FormatRfc1123(*t));
      if (!again || *again != *t) abort();
    }
  }
  return 0;
}
