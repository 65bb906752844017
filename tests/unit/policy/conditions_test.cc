#include "policy/conditions.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace kumo::policy {
namespace {

Condition Make(std::string_view op, std::string_view key, std::vector<std::string> values) {
  Result<Condition> c = MakeCondition(op, key, std::move(values));
  EXPECT_TRUE(c.ok()) << op << " " << c.status().message();
  return c.ok() ? std::move(c).value() : Condition{};
}

// Whether op(key: values) holds for a request whose key has the given values (none:
// the key is absent).
bool Holds(std::string_view op, std::vector<std::string> values,
           std::initializer_list<std::string> request, std::string_view key = "s3:prefix") {
  RequestContext ctx;
  for (const auto& v : request) ctx.Add(key, v);
  return ConditionHolds(Make(op, key, std::move(values)), ctx);
}

TEST(ConditionsTest, StringOperators) {
  EXPECT_TRUE(Holds("StringEquals", {"home/"}, {"home/"}));
  EXPECT_FALSE(Holds("StringEquals", {"home/"}, {"HOME/"}));
  EXPECT_TRUE(Holds("StringEquals", {"a", "home/"}, {"home/"}));  // values ORed
  EXPECT_FALSE(Holds("StringNotEquals", {"a", "home/"}, {"home/"}));
  EXPECT_TRUE(Holds("StringNotEquals", {"a", "b"}, {"home/"}));
  EXPECT_TRUE(Holds("StringEqualsIgnoreCase", {"Home/"}, {"HOME/"}));
  EXPECT_FALSE(Holds("StringNotEqualsIgnoreCase", {"Home/"}, {"hOME/"}));
  EXPECT_TRUE(Holds("StringLike", {"home/*"}, {"home/alice/x"}));
  EXPECT_TRUE(Holds("StringLike", {"h?me/"}, {"hime/"}));
  EXPECT_FALSE(Holds("StringLike", {"home/*"}, {"public/"}));
  EXPECT_TRUE(Holds("StringNotLike", {"home/*"}, {"public/"}));
  EXPECT_FALSE(Holds("StringNotLike", {"home/*", "pub*"}, {"public/"}));
}

TEST(ConditionsTest, AbsentKey) {
  EXPECT_FALSE(Holds("StringEquals", {"x"}, {}));
  EXPECT_TRUE(Holds("StringNotEquals", {"x"}, {}));
  EXPECT_TRUE(Holds("StringEqualsIfExists", {"x"}, {}));
  EXPECT_FALSE(Holds("StringEqualsIfExists", {"x"}, {"y"}));
  EXPECT_TRUE(Holds("StringEqualsIfExists", {"x"}, {"x"}));
  EXPECT_TRUE(Holds("NumericLessThanIfExists", {"10"}, {}));
  EXPECT_FALSE(Holds("NumericLessThan", {"10"}, {}));
}

TEST(ConditionsTest, KeysAreCaseInsensitive) {
  RequestContext ctx;
  ctx.Set("AWS:SecureTransport", "true");
  EXPECT_TRUE(ConditionHolds(Make("Bool", "aws:securetransport", {"true"}), ctx));
  EXPECT_TRUE(ConditionHolds(Make("Bool", "Aws:SECURETRANSPORT", {"TRUE"}), ctx));
  EXPECT_FALSE(ConditionHolds(Make("Bool", "aws:SecureTransport", {"false"}), ctx));
  ctx.Set("aws:securetransport", "false");  // Set replaces
  EXPECT_TRUE(ConditionHolds(Make("Bool", "aws:SecureTransport", {"false"}), ctx));
}

TEST(ConditionsTest, Numeric) {
  EXPECT_TRUE(Holds("NumericEquals", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericEquals", {"10"}, {"10.0"}, "s3:max-keys"));
  EXPECT_FALSE(Holds("NumericNotEquals", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericNotEquals", {"10"}, {"11"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericLessThan", {"10"}, {"9"}, "s3:max-keys"));
  EXPECT_FALSE(Holds("NumericLessThan", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericLessThanEquals", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericGreaterThan", {"10"}, {"11"}, "s3:max-keys"));
  EXPECT_FALSE(Holds("NumericGreaterThan", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericGreaterThanEquals", {"10"}, {"10"}, "s3:max-keys"));
  EXPECT_TRUE(Holds("NumericLessThan", {"-1.5"}, {"-2"}, "s3:max-keys"));
  EXPECT_FALSE(Holds("NumericEquals", {"10"}, {"ten"}, "s3:max-keys"));  // not a number
}

TEST(ConditionsTest, Dates) {
  const std::string key = "aws:CurrentTime";
  EXPECT_TRUE(Holds("DateLessThan", {"2027-01-01T00:00:00Z"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_FALSE(Holds("DateLessThan", {"2026-01-01"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_TRUE(Holds("DateGreaterThan", {"2026-01-01"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_TRUE(Holds("DateEquals", {"2026-12-03T14:00:00+02:00"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_FALSE(Holds("DateNotEquals", {"2026-12-03T12:00:00.000Z"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_TRUE(Holds("DateLessThanEquals", {"2026-12-03T12:00Z"}, {"2026-12-03T12:00:00Z"}, key));
  EXPECT_TRUE(Holds("DateGreaterThanEquals", {"2026-12-03T12:00:00.5Z"},
                    {"2026-12-03T12:00:00.500Z"}, key));
  // Epoch seconds on either side: 1764763200 is 2025-12-03T12:00:00Z.
  EXPECT_TRUE(Holds("DateEquals", {"1764763200"}, {"2025-12-03T12:00:00Z"}, key));
  EXPECT_TRUE(Holds("DateLessThan", {"2025-12-03T12:00:01Z"}, {"1764763200"}, "aws:EpochTime"));
  EXPECT_FALSE(Holds("DateLessThan", {"2027-01-01"}, {"not a date"}, key));
  EXPECT_FALSE(MakeCondition("DateLessThan", key, {"2026-13-01"}).ok());
  EXPECT_FALSE(MakeCondition("DateLessThan", key, {"2026-02-30"}).ok());
  EXPECT_FALSE(MakeCondition("DateLessThan", key, {"2026-12-03T25:00Z"}).ok());
}

TEST(ConditionsTest, Bool) {
  EXPECT_TRUE(Holds("Bool", {"true"}, {"true"}, "aws:SecureTransport"));
  EXPECT_FALSE(Holds("Bool", {"true"}, {"false"}, "aws:SecureTransport"));
  EXPECT_FALSE(Holds("Bool", {"true"}, {}, "aws:SecureTransport"));
  EXPECT_TRUE(Holds("BoolIfExists", {"false"}, {}, "aws:SecureTransport"));
  EXPECT_FALSE(MakeCondition("Bool", "aws:SecureTransport", {"yes"}).ok());
}

TEST(ConditionsTest, IpAddressV4AndV6) {
  const std::string key = "aws:SourceIp";
  EXPECT_TRUE(Holds("IpAddress", {"10.0.0.0/8"}, {"10.1.2.3"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"10.0.0.0/8"}, {"11.1.2.3"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"192.168.1.7"}, {"192.168.1.7"}, key));  // bare: /32
  EXPECT_FALSE(Holds("IpAddress", {"192.168.1.7"}, {"192.168.1.8"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"192.168.1.0/25"}, {"192.168.1.127"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"192.168.1.0/25"}, {"192.168.1.128"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"0.0.0.0/0"}, {"8.8.8.8"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"0.0.0.0/0"}, {"2001:db8::1"}, key));  // v4 net, v6 ip
  EXPECT_TRUE(Holds("IpAddress", {"2001:db8::/32"}, {"2001:db8:1::5"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"2001:db8::/32"}, {"2001:db9::5"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"2001:db8::/33"}, {"2001:db8:7fff::1"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"2001:db8::/33"}, {"2001:db8:8000::1"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"::1"}, {"::1"}, key));
  EXPECT_TRUE(Holds("IpAddress", {"10.0.0.0/8", "::1/128"}, {"::1"}, key));
  EXPECT_TRUE(Holds("NotIpAddress", {"10.0.0.0/8"}, {"11.0.0.1"}, key));
  EXPECT_FALSE(Holds("NotIpAddress", {"10.0.0.0/8", "11.0.0.0/8"}, {"11.0.0.1"}, key));
  EXPECT_FALSE(Holds("IpAddress", {"10.0.0.0/8"}, {"garbage"}, key));
  EXPECT_FALSE(MakeCondition("IpAddress", key, {"10.0.0.0/33"}).ok());
  EXPECT_FALSE(MakeCondition("IpAddress", key, {"2001:db8::/129"}).ok());
  EXPECT_FALSE(MakeCondition("IpAddress", key, {"10.0.0/8"}).ok());
  EXPECT_FALSE(MakeCondition("IpAddress", key, {"10.0.0.0/x"}).ok());
}

TEST(ConditionsTest, Null) {
  EXPECT_TRUE(Holds("Null", {"true"}, {}, "s3:x-amz-acl"));
  EXPECT_FALSE(Holds("Null", {"true"}, {"private"}, "s3:x-amz-acl"));
  EXPECT_TRUE(Holds("Null", {"false"}, {"private"}, "s3:x-amz-acl"));
  EXPECT_FALSE(Holds("Null", {"false"}, {}, "s3:x-amz-acl"));
  EXPECT_FALSE(MakeCondition("NullIfExists", "s3:x-amz-acl", {"true"}).ok());
}

TEST(ConditionsTest, Arn) {
  const std::string key = "aws:SourceArn";
  const std::string arn = "arn:aws:iam::000000000000:user/alice";
  EXPECT_TRUE(Holds("ArnEquals", {arn}, {arn}, key));
  EXPECT_TRUE(Holds("ArnLike", {"arn:aws:iam::*:user/*"}, {arn}, key));
  EXPECT_TRUE(Holds("ArnEquals", {"arn:aws:iam::*:user/ali?e"}, {arn}, key));
  EXPECT_FALSE(Holds("ArnLike", {"arn:aws:iam::*:user/bob"}, {arn}, key));
  EXPECT_TRUE(Holds("ArnNotEquals", {"arn:aws:iam::*:user/bob"}, {arn}, key));
  EXPECT_FALSE(Holds("ArnNotLike", {"arn:aws:iam::*:user/*"}, {arn}, key));
}

TEST(ConditionsTest, SetQualifiers) {
  const std::string key = "s3:RequestObjectTagKeys";
  // ForAnyValue: at least one request value matches.
  EXPECT_TRUE(Holds("ForAnyValue:StringEquals", {"team"}, {"team", "cost"}, key));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", {"owner"}, {"team", "cost"}, key));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", {"team"}, {}, key));
  // ForAllValues: every request value matches (vacuously true when there are none).
  EXPECT_TRUE(Holds("ForAllValues:StringEquals", {"team", "cost"}, {"cost", "team"}, key));
  EXPECT_FALSE(Holds("ForAllValues:StringEquals", {"team"}, {"team", "cost"}, key));
  EXPECT_TRUE(Holds("ForAllValues:StringEquals", {"team"}, {}, key));
  EXPECT_TRUE(Holds("ForAllValues:StringLike", {"t*", "c*"}, {"cost", "team"}, key));
  // Negated operators under a qualifier negate per request value.
  EXPECT_TRUE(Holds("ForAnyValue:StringNotEquals", {"team"}, {"team", "cost"}, key));
  EXPECT_FALSE(Holds("ForAnyValue:StringNotEquals", {"team", "cost"}, {"team", "cost"}, key));
  EXPECT_TRUE(Holds("ForAllValues:StringNotEquals", {"secret"}, {"team", "cost"}, key));
  EXPECT_FALSE(Holds("ForAllValues:StringNotEquals", {"cost"}, {"team", "cost"}, key));
  // With IfExists, absent is true for both.
  EXPECT_TRUE(Holds("ForAnyValue:StringEqualsIfExists", {"team"}, {}, key));
}

TEST(ConditionsTest, ConditionsAreAnded) {
  RequestContext ctx;
  ctx.Set("s3:prefix", "home/");
  ctx.Set("aws:SourceIp", "10.0.0.1");
  std::vector<Condition> both = {Make("StringLike", "s3:prefix", {"home/*"}),
                                 Make("IpAddress", "aws:SourceIp", {"10.0.0.0/8"})};
  EXPECT_TRUE(ConditionsHold(both, ctx));
  both.push_back(Make("Bool", "aws:SecureTransport", {"true"}));
  EXPECT_FALSE(ConditionsHold(both, ctx));
  EXPECT_TRUE(ConditionsHold({}, ctx));
}

TEST(ConditionsTest, RejectsUnknownOperatorsAndBadValues) {
  for (std::string_view op : {"StringEqual", "stringequals", "ForSomeValues:StringEquals",
                              "IfExists", "StringEqualsIfExistsIfExists", "Bogus"}) {
    Result<Condition> c = MakeCondition(op, "s3:prefix", {"x"});
    ASSERT_FALSE(c.ok()) << op;
    EXPECT_EQ(c.status().code(), ErrorCode::kMalformedPolicy);
    EXPECT_NE(c.status().message().find("Invalid Condition operator"), std::string::npos);
  }
  Result<Condition> n = MakeCondition("NumericLessThan", "s3:max-keys", {"ten"});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().message(), "Invalid value for Condition NumericLessThan s3:max-keys: ten");
  EXPECT_FALSE(MakeCondition("StringEquals", "s3:prefix", {}).ok());
  EXPECT_FALSE(MakeCondition("StringEquals", "", {"x"}).ok());
}

}  // namespace
}  // namespace kumo::policy
