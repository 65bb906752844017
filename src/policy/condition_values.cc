#include "policy/condition_values.h"

#include <arpa/inet.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>

namespace kumo::policy {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Reads exactly n digits at text[*pos]; advances *pos.
std::optional<int> Digits(std::string_view text, size_t* pos, size_t n) {
  if (*pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  *pos += n;
  return value;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

std::optional<std::array<uint8_t, 16>> ParseAddress(std::string_view text) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  if (text.find(':') == std::string_view::npos) {
    in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) != 1) return std::nullopt;
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  if (inet_pton(AF_INET6, buf, out.data()) != 1) return std::nullopt;
  return out;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;  // "inf", "nan": not IAM numbers
  return value;
}

std::optional<int64_t> ParseDateMillis(std::string_view text) {
  if (AllDigits(text)) {
    if (text.size() > 12) return std::nullopt;  // beyond year 33658: not a date
    int64_t seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    return seconds * 1000;
  }
  size_t pos = 0;
  auto year = Digits(text, &pos, 4);
  if (!year || !Expect(text, &pos, '-')) return std::nullopt;
  auto month = Digits(text, &pos, 2);
  if (!month || !Expect(text, &pos, '-')) return std::nullopt;
  auto day = Digits(text, &pos, 2);
  if (!day) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{*year}, std::chrono::month(*month),
                           std::chrono::day(*day)};
  if (!ymd.ok()) return std::nullopt;
  int64_t millis = int64_t{sys_days(ymd).time_since_epoch().count()} * 86400000;
  if (pos == text.size()) return millis;
  if (!Expect(text, &pos, 'T')) return std::nullopt;
  auto hour = Digits(text, &pos, 2);
  if (!hour || *hour > 23 || !Expect(text, &pos, ':')) return std::nullopt;
  auto minute = Digits(text, &pos, 2);
  if (!minute || *minute > 59) return std::nullopt;
  int second = 0;
  int fraction_ms = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto s = Digits(text, &pos, 2);
    if (!s || *s > 60) return std::nullopt;
    second = *s;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t start = pos;
      int scale = 100;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        fraction_ms += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  millis += ((int64_t{*hour} * 60 + *minute) * 60 + second) * 1000 + fraction_ms;
  if (pos == text.size()) return millis;  // no offset: UTC
  if (text[pos] == 'Z') return pos + 1 == text.size() ? std::optional(millis) : std::nullopt;
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  int sign = text[pos++] == '+' ? 1 : -1;
  auto off_h = Digits(text, &pos, 2);
  if (!off_h || *off_h > 23) return std::nullopt;
  Expect(text, &pos, ':');  // "+02:00" and "+0200" alike
  auto off_m = Digits(text, &pos, 2);
  if (!off_m || *off_m > 59 || pos != text.size()) return std::nullopt;
  return millis - sign * (int64_t{*off_h} * 60 + *off_m) * 60000;
}

std::optional<IpNet> ParseIpNet(std::string_view text) {
  size_t slash = text.find('/');
  IpNet net;
  auto address = ParseAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  net.address = *address;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  int max_bits = v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view len = text.substr(slash + 1);
    if (!AllDigits(len) || len.size() > 3) return std::nullopt;
    bits = 0;
    std::from_chars(len.data(), len.data() + len.size(), bits);
    if (bits > max_bits) return std::nullopt;
  }
  net.prefix_bits = v4 ? bits + 96 : bits;
  return net;
}

bool IpInNet(std::string_view address, const IpNet& net) {
  auto a = ParseAddress(address);
  if (!a) return false;
  int bits = net.prefix_bits;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if (((*a)[i] & mask) != (net.address[i] & mask)) return false;
  }
  return true;
}

}  // namespace kumo::policy
