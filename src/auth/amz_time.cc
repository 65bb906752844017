// UTC calendar arithmetic for SigV4 dates, without the locale and TZ dependence of
// strptime/timegm (H. Hinnant's days_from_civil algorithms).
#include <array>
#include <cstdio>

#include "auth/sigv4_internal.h"

namespace kumo::auth::internal {
namespace {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

// Parses exactly n decimal digits at text[pos..].
bool Digits(std::string_view text, size_t pos, size_t n, unsigned* out) {
  if (pos + n > text.size()) return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
  }
  *out = v;
  return true;
}

bool ToUnix(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
            int64_t* out) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  *out = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}

}  // namespace

bool ParseAmzDate(std::string_view t, int64_t* unix_seconds) {
  unsigned y, mo, d, h, mi, s;
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') return false;
  if (!Digits(t, 0, 4, &y) || !Digits(t, 4, 2, &mo) || !Digits(t, 6, 2, &d) ||
      !Digits(t, 9, 2, &h) || !Digits(t, 11, 2, &mi) || !Digits(t, 13, 2, &s)) {
    return false;
  }
  return ToUnix(y, mo, d, h, mi, s, unix_seconds);
}

bool ParseHttpDate(std::string_view t, int64_t* unix_seconds) {
  // "Fri, 24 May 2013 00:00:00 GMT": the day name is not checked.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  size_t comma = t.find(", ");
  if (comma == std::string_view::npos) return false;
  t.remove_prefix(comma + 2);
  if (t.size() != 24 || t[2] != ' ' || t[6] != ' ' || t[11] != ' ' || t[14] != ':' ||
      t[17] != ':' || t.substr(20) != " GMT") {
    return false;
  }
  unsigned mo = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (t.substr(3, 3) == kMonths[i]) mo = i + 1;
  }
  unsigned y, d, h, mi, s;
  if (mo == 0 || !Digits(t, 0, 2, &d) || !Digits(t, 7, 4, &y) || !Digits(t, 12, 2, &h) ||
      !Digits(t, 15, 2, &mi) || !Digits(t, 18, 2, &s)) {
    return false;
  }
  return ToUnix(y, mo, d, h, mi, s, unix_seconds);
}

std::string FormatAmzDate(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400, rem = unix_seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld%02u%02uT%02lld%02lld%02lldZ", static_cast<long long>(y),
                m, d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  return buf;
}

}  // namespace kumo::auth::internal
