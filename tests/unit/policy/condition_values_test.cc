#include "policy/condition_values.h"

#include <gtest/gtest.h>

namespace kumo::policy {
namespace {

TEST(ParseNumberTest, DecimalsOnly) {
  EXPECT_EQ(ParseNumber("10"), 10.0);
  EXPECT_EQ(ParseNumber("-2.5"), -2.5);
  EXPECT_FALSE(ParseNumber("").has_value());
  EXPECT_FALSE(ParseNumber("10 ").has_value());
  EXPECT_FALSE(ParseNumber("0x10").has_value());
  EXPECT_FALSE(ParseNumber("inf").has_value());
  EXPECT_FALSE(ParseNumber("nan").has_value());
}

TEST(ParseDateMillisTest, Iso8601AndEpochSeconds) {
  // 1764763200 is 2025-12-03T12:00:00Z.
  constexpr int64_t kNoon = int64_t{1764763200} * 1000;
  EXPECT_EQ(ParseDateMillis("1764763200"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03T12:00:00Z"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03T12:00Z"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03T12:00:00"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03T12:00:00.250Z"), kNoon + 250);
  EXPECT_EQ(ParseDateMillis("2025-12-03T14:00:00+02:00"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03T07:30:00-0430"), kNoon);
  EXPECT_EQ(ParseDateMillis("2025-12-03"), kNoon - 12 * 3600 * 1000);
  EXPECT_EQ(ParseDateMillis("1970-01-01T00:00:00Z"), 0);
  for (const char* bad :
       {"", "2025-12-3", "2025-12-03T12", "2025-12-03T12:00:00ZZ", "2025-12-03 12:00:00Z",
        "2025-12-03T12:60Z", "2025-02-29", "2025-12-03T12:00:00.Z", "2025-12-03T12:00+2",
        "yesterday", "1234567890123"}) {
    EXPECT_FALSE(ParseDateMillis(bad).has_value()) << bad;
  }
}

TEST(IpNetTest, PrefixesOfBothFamilies) {
  auto net = ParseIpNet("172.16.0.0/12");
  ASSERT_TRUE(net.has_value());
  EXPECT_EQ(net->prefix_bits, 96 + 12);
  EXPECT_TRUE(IpInNet("172.31.255.255", *net));
  EXPECT_FALSE(IpInNet("172.32.0.0", *net));
  // An IPv4-mapped IPv6 address is the IPv4 address.
  EXPECT_TRUE(IpInNet("::ffff:172.16.0.1", *net));
  auto v6 = ParseIpNet("fe80::/10");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(IpInNet("fe80::1", *v6));
  EXPECT_TRUE(IpInNet("febf::1", *v6));
  EXPECT_FALSE(IpInNet("fec0::1", *v6));
  auto all6 = ParseIpNet("::/0");
  ASSERT_TRUE(all6.has_value());
  EXPECT_TRUE(IpInNet("2001:db8::1", *all6));
  EXPECT_TRUE(IpInNet("10.0.0.1", *all6));  // ::/0 holds the mapped IPv4 space too
  EXPECT_FALSE(IpInNet("", *all6));
  EXPECT_FALSE(ParseIpNet("10.0.0.1/").has_value());
  EXPECT_FALSE(ParseIpNet("/8").has_value());
  EXPECT_FALSE(ParseIpNet("10.0.0.1/-1").has_value());
  EXPECT_FALSE(ParseIpNet("1:2:3:4:5:6:7:8:9").has_value());
}

}  // namespace
}  // namespace kumo::policy
