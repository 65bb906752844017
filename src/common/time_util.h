// Time formats used by S3: RFC 1123 (Last-Modified, If-Modified-Since), ISO 8601 with
// milliseconds (XML LastModified), and the SigV4 basic format. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kumo {

int64_t NowMillis();
// "Wed, 12 Oct 2009 17:50:00 GMT"
std::string FormatRfc1123(int64_t unix_seconds);
// "2009-10-12T17:50:30.000Z"
std::string FormatIso8601Millis(int64_t unix_millis);
// "20091012T175030Z"
std::string FormatAmzDate(int64_t unix_seconds);
// Parses RFC 1123, RFC 850 and asctime dates (HTTP-date); nullopt when malformed.
std::optional<int64_t> ParseHttpDate(std::string_view text);
// Parses "20091012T175030Z"; nullopt when malformed.
std::optional<int64_t> ParseAmzDate(std::string_view text);

}  // namespace kumo
