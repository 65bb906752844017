// Parsers for the typed values of policy conditions: numbers, dates and IP networks.
// Used both for policy values (once, at parse time) and for request-context values (per
// evaluation), so none of them allocates. Pure functions: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kumo::policy {

// A decimal number as IAM's Numeric operators accept it ("10", "-2", "0.5").
std::optional<double> ParseNumber(std::string_view text);

// A date in milliseconds since the epoch: ISO 8601 ("2026-12-03", "2026-12-03T12:00Z",
// "2026-12-03T12:00:00.250+02:00"; without an offset the time is UTC) or epoch seconds
// ("1764763200").
std::optional<int64_t> ParseDateMillis(std::string_view text);

// An IPv4 or IPv6 network. IPv4 is held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
// with the prefix length shifted by 96, so one comparison serves both families.
struct IpNet {
  std::array<uint8_t, 16> address{};
  int prefix_bits = 128;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128 network).
std::optional<IpNet> ParseIpNet(std::string_view text);

// Whether the address text (bare, IPv4 or IPv6) lies in net; false if it is not an address.
bool IpInNet(std::string_view address, const IpNet& net);

}  // namespace kumo::policy
