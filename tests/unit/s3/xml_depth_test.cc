#include "s3/xml_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

std::string Nested(size_t depth) {
  std::string s;
  for (size_t i = 0; i < depth; ++i) s += "<a>";
  for (size_t i = 0; i < depth; ++i) s += "</a>";
  return s;
}

TEST(XmlDepthScannerTest, CountsNesting) {
  XmlDepthScanner scan(4);
  EXPECT_TRUE(scan.Feed("<?xml version=\"1.0\"?><Delete><Object><Key>k</Key></Object>"));
  EXPECT_TRUE(scan.Feed("<Object><Key>k2</Key></Object></Delete>"));
  EXPECT_EQ(scan.max_seen(), 3u);
}

TEST(XmlDepthScannerTest, RefusesPastTheLimitAndStaysRefused) {
  XmlDepthScanner scan(20);
  EXPECT_TRUE(scan.Feed(Nested(20)));
  XmlDepthScanner deep(20);
  EXPECT_FALSE(deep.Feed(Nested(21)));
  EXPECT_FALSE(deep.Feed("<b/>"));
}

TEST(XmlDepthScannerTest, OneMebibyteOfNestingIsRefusedEarly) {
  std::string body;
  while (body.size() < (1u << 20)) body += "<a>";
  XmlDepthScanner scan;
  EXPECT_FALSE(scan.Feed(body));
  EXPECT_EQ(scan.max_seen(), kMaxXmlDepth + 1);  // stopped at the first tag too deep
}

TEST(XmlDepthScannerTest, TagsSplitAcrossPiecesCount) {
  const std::string doc = Nested(5);
  XmlDepthScanner scan(5);
  for (char c : doc) EXPECT_TRUE(scan.Feed(std::string_view(&c, 1)));
  EXPECT_EQ(scan.max_seen(), 5u);
  XmlDepthScanner tight(4);
  bool ok = true;
  for (char c : doc) ok = tight.Feed(std::string_view(&c, 1)) && ok;
  EXPECT_FALSE(ok);
}

TEST(XmlDepthScannerTest, EmptyElementsCommentsCdataAndAttributesDoNotNest) {
  XmlDepthScanner scan(2);
  EXPECT_TRUE(scan.Feed("<r a=\"<x><y><z>\" b='/>'><e/><e /><!-- <a><a><a> --->"));
  EXPECT_TRUE(scan.Feed("<![CDATA[<a><a><a>]]]><?pi <a><a>?><!DOCTYPE r><k>v</k></r>"));
  EXPECT_EQ(scan.max_seen(), 2u);
}

}  // namespace
}  // namespace kumo::s3
