#include "common/time_util.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace kumo {

namespace {
std::tm UtcTm(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string Format(int64_t unix_seconds, const char* fmt) {
  std::tm tm = UtcTm(unix_seconds);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), fmt, &tm);
  return std::string(buf, n);
}

std::optional<int64_t> ParseWith(std::string_view text, const char* fmt) {
  std::string s(text);
  std::tm tm{};
  const char* end = strptime(s.c_str(), fmt, &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}
}  // namespace

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatRfc1123(int64_t unix_seconds) {
  // strftime's %a/%b follow the C locale, which is what HTTP wants; the process never
  // calls setlocale.
  return Format(unix_seconds, "%a, %d %b %Y %H:%M:%S GMT");
}

std::string FormatIso8601Millis(int64_t unix_millis) {
  int64_t secs = unix_millis / 1000;
  int ms = static_cast<int>(unix_millis % 1000);
  char buf[8];
  std::snprintf(buf, sizeof(buf), ".%03dZ", ms);
  return Format(secs, "%Y-%m-%dT%H:%M:%S") + buf;
}

std::string FormatAmzDate(int64_t unix_seconds) { return Format(unix_seconds, "%Y%m%dT%H%M%SZ"); }

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  if (auto t = ParseWith(text, "%a, %d %b %Y %H:%M:%S GMT")) return t;
  if (auto t = ParseWith(text, "%A, %d-%b-%y %H:%M:%S GMT")) return t;
  if (auto t = ParseWith(text, "%a %b %d %H:%M:%S %Y")) return t;
  // Some clients send ISO 8601 in conditional headers.
  if (auto t = ParseWith(text, "%Y-%m-%dT%H:%M:%SZ")) return t;
  return ParseWith(text, "%Y-%m-%dT%H:%M:%S.000Z");
}

std::optional<int64_t> ParseAmzDate(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  return ParseWith(text, "%Y%m%dT%H%M%SZ");
}

}  // namespace kumo
