#include "catalog/attributes.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace kumo::catalog {
namespace {

std::map<std::string, AttributeRow> Rows(const std::string& json) {
  auto r = FlattenAttributes(json);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, AttributeRow> out;
  if (r.ok()) {
    for (auto& row : *r) out[row.name] = row;
  }
  return out;
}

TEST(AttributesTest, TypesScalars) {
  auto rows = Rows(R"({"w": 640, "ratio": 1.5, "hdr": true, "flash": false,
                       "camera": "X100", "none": null})");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(*rows["w"].num, 640);
  EXPECT_FALSE(rows["w"].str);
  EXPECT_DOUBLE_EQ(*rows["ratio"].num, 1.5);
  EXPECT_EQ(*rows["hdr"].num, 1);
  EXPECT_EQ(*rows["hdr"].str, "true");
  EXPECT_EQ(*rows["flash"].num, 0);
  EXPECT_EQ(*rows["flash"].str, "false");
  EXPECT_EQ(*rows["camera"].str, "X100");
  EXPECT_FALSE(rows["camera"].num);
}

TEST(AttributesTest, TimesAlsoGetEpochSeconds) {
  auto rows = Rows(R"({"taken": "2024-05-01T12:00:00Z", "day": "2024-05-01",
                       "local": "2024-05-01T14:00:00.5+02:00", "not": "2024-13-01"})");
  EXPECT_EQ(*rows["taken"].num, 1714564800);
  EXPECT_EQ(*rows["taken"].str, "2024-05-01T12:00:00Z");
  EXPECT_EQ(*rows["day"].num, 1714521600);
  EXPECT_DOUBLE_EQ(*rows["local"].num, 1714564800.5);
  EXPECT_FALSE(rows["not"].num);
  EXPECT_EQ(*rows["not"].str, "2024-13-01");
}

TEST(AttributesTest, Rfc3339Edges) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:00:00-01:00"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-02-29"), 1709164800);
  EXPECT_FALSE(ParseRfc3339("2023-02-29"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00"));  // no offset
  EXPECT_FALSE(ParseRfc3339("2024-05-01T25:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00.Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01x"));
  EXPECT_FALSE(ParseRfc3339("12"));
}

TEST(AttributesTest, FlattensObjectsAndJoinsArrays) {
  auto rows = Rows(R"({"gps": {"lat": 35.6, "lon": 139.7, "alt": {"m": 40}},
                       "labels": ["cat", "sofa", null, 3, true], "empty": {}})");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_DOUBLE_EQ(*rows["gps.lat"].num, 35.6);
  EXPECT_DOUBLE_EQ(*rows["gps.lon"].num, 139.7);
  EXPECT_EQ(*rows["gps.alt.m"].num, 40);
  EXPECT_EQ(*rows["labels"].str, "cat, sofa, 3, true");
}

TEST(AttributesTest, EmptyTextIsNoAttributes) {
  auto r = FlattenAttributes("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(AttributesTest, LimitsAndBadInputAreInvalidArgument) {
  for (const std::string bad : {"[1,2]", "42", "{not json", R"({"": 1})"}) {
    EXPECT_TRUE(FlattenAttributes(bad).status().Is(ErrorCode::kInvalidArgument)) << bad;
  }
  std::string many = "{";
  for (size_t i = 0; i <= kMaxAttributes; ++i) {
    many += (i ? ",\"a" : "\"a") + std::to_string(i) + "\":1";
  }
  many += "}";
  EXPECT_TRUE(FlattenAttributes(many).status().Is(ErrorCode::kInvalidArgument));
  std::string long_name = "{\"" + std::string(kMaxAttributeName + 1, 'n') + "\":1}";
  EXPECT_TRUE(FlattenAttributes(long_name).status().Is(ErrorCode::kInvalidArgument));
  std::string at_limit = "{\"" + std::string(kMaxAttributeName, 'n') + "\":1}";
  EXPECT_TRUE(FlattenAttributes(at_limit).ok());
  std::string huge = "{\"a\":\"" + std::string(kMaxAttributesJson, 'x') + "\"}";
  EXPECT_TRUE(FlattenAttributes(huge).status().Is(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace kumo::catalog
