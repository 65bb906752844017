#include "common/time_util.h"

#include <algorithm>
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

// The formatters below run per request (Last-Modified, Date) and per event (eventTime),
// so they compute the civil date with <chrono>'s calendar arithmetic and write digits by
// hand: gmtime_r + strftime + snprintf cost a few microseconds each (locale and time zone
// machinery), which showed in the event dispatcher's profile.
struct Civil {
  int year;
  unsigned month, day, hour, minute, second, weekday;  // weekday: 0 = Sunday
};

// Years outside 0..9999 do not fit the fixed-width formats; callers fall back to strftime.
std::optional<Civil> ToCivil(int64_t unix_seconds) {
  using namespace std::chrono;
  int64_t day_count = unix_seconds / 86400;
  int64_t in_day = unix_seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --day_count;
  }
  const sys_days day{days{day_count}};
  const year_month_day ymd{day};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return std::nullopt;
  return Civil{y,
               static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()),
               static_cast<unsigned>(in_day / 3600),
               static_cast<unsigned>(in_day / 60 % 60),
               static_cast<unsigned>(in_day % 60),
               weekday{day}.c_encoding()};
}

char* Digits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
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
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto c = ToCivil(unix_seconds);
  // strftime's %a/%b follow the C locale, which is what HTTP wants; the process never
  // calls setlocale.
  if (!c) return Format(unix_seconds, "%a, %d %b %Y %H:%M:%S GMT");
  char buf[29];  // "Sun, 06 Nov 1994 08:49:37 GMT"
  char* p = buf;
  p = std::copy_n(kDays[c->weekday], 3, p);
  p = std::copy_n(", ", 2, p);
  p = Digits(p, c->day, 2);
  *p++ = ' ';
  p = std::copy_n(kMonths[c->month - 1], 3, p);
  *p++ = ' ';
  p = Digits(p, static_cast<unsigned>(c->year), 4);
  *p++ = ' ';
  p = Digits(p, c->hour, 2);
  *p++ = ':';
  p = Digits(p, c->minute, 2);
  *p++ = ':';
  p = Digits(p, c->second, 2);
  p = std::copy_n(" GMT", 4, p);
  return std::string(buf, p);
}

std::string FormatIso8601Millis(int64_t unix_millis) {
  int64_t secs = unix_millis / 1000;
  int ms = static_cast<int>(unix_millis % 1000);
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  auto c = ToCivil(secs);
  if (!c) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), ".%03dZ", ms);
    return Format(secs, "%Y-%m-%dT%H:%M:%S") + buf;
  }
  char buf[24];  // "2026-11-29T05:01:13.265Z"
  char* p = Digits(buf, static_cast<unsigned>(c->year), 4);
  *p++ = '-';
  p = Digits(p, c->month, 2);
  *p++ = '-';
  p = Digits(p, c->day, 2);
  *p++ = 'T';
  p = Digits(p, c->hour, 2);
  *p++ = ':';
  p = Digits(p, c->minute, 2);
  *p++ = ':';
  p = Digits(p, c->second, 2);
  *p++ = '.';
  p = Digits(p, static_cast<unsigned>(ms), 3);
  *p++ = 'Z';
  return std::string(buf, p);
}

std::string FormatAmzDate(int64_t unix_seconds) {
  auto c = ToCivil(unix_seconds);
  if (!c) return Format(unix_seconds, "%Y%m%dT%H%M%SZ");
  char buf[16];  // "20261129T050113Z"
  char* p = Digits(buf, static_cast<unsigned>(c->year), 4);
  p = Digits(p, c->month, 2);
  p = Digits(p, c->day, 2);
  *p++ = 'T';
  p = Digits(p, c->hour, 2);
  p = Digits(p, c->minute, 2);
  p = Digits(p, c->second, 2);
  *p++ = 'Z';
  return std::string(buf, p);
}

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
