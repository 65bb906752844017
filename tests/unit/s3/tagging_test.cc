#include "s3/tagging.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace kumo::s3 {
namespace {

std::string Doc(const StringPairs& tags) {
  std::string xml = "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>";
  for (const auto& [k, v] : tags) {
    xml.append("<Tag><Key>").append(k).append("</Key><Value>").append(v).append("</Value></Tag>");
  }
  return xml.append("</TagSet></Tagging>");
}

StringPairs Numbered(int n) {
  StringPairs tags;
  for (int i = 0; i < n; ++i) tags.emplace_back(std::string("k").append(std::to_string(i)), "v");
  return tags;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}

void ExpectError(const Result<StringPairs>& r, ErrorCode code, std::string_view message = {}) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().Is(code)) << r.status().ToString();
  if (!message.empty()) {
    EXPECT_EQ(r.status().message(), message);
  }
}

TEST(ParseTaggingXmlTest, ParsesAndSortsByKey) {
  auto r = ParseTaggingXml(Doc({{"project", "kumo"}, {"env", ""}, {"a b", "x+y=z"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (StringPairs{{"a b", "x+y=z"}, {"env", ""}, {"project", "kumo"}}));
}

TEST(ParseTaggingXmlTest, TextForms) {
  // No namespace, a declaration, whitespace between elements, an empty element, a value
  // that is one space, entities and CDATA.
  auto r = ParseTaggingXml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging>\n <TagSet>\n"
      "  <Tag><Key>a</Key><Value/></Tag>\n"
      "  <Tag><Key>b</Key><Value> </Value></Tag>\n"
      "  <Tag><Key>c</Key><Value>x&#x20;<![CDATA[y]]></Value></Tag>\n"
      " </TagSet>\n</Tagging>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (StringPairs{{"a", ""}, {"b", " "}, {"c", "x y"}}));
}

TEST(ParseTaggingXmlTest, EmptyTagSetIsValid) {
  auto r = ParseTaggingXml("<Tagging><TagSet/></Tagging>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->empty());
}

TEST(ParseTaggingXmlTest, MalformedDocuments) {
  for (std::string_view body : {
           "",                                                                 // empty
           "not xml",                                                          // not XML
           "<Tagging><TagSet>",                                                // unclosed
           "<Other><TagSet/></Other>",                                         // root
           "<Tagging/>",                                                       // no TagSet
           "<Tagging><TagSet/><TagSet/></Tagging>",                            // two sets
           "<Tagging><TagSet/><Extra/></Tagging>",                             // extra element
           "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",      // no Value
           "<Tagging><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>",  // no Key
           "<Tagging><TagSet><Item><Key>a</Key><Value/></Item></TagSet></Tagging>",
           "<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value/></Tag></TagSet></Tagging>",
           "<Tagging><TagSet><Tag><Key>a</Key><Value/><X/></Tag></TagSet></Tagging>",
           "<Tagging><TagSet><Tag><Key><b>a</b></Key><Value/></Tag></TagSet></Tagging>",
           "<Tagging><TagSet/></Tagging><Tagging><TagSet/></Tagging>",  // two roots
       }) {
    SCOPED_TRACE(body);
    ExpectError(ParseTaggingXml(body), ErrorCode::kMalformedXML);
  }
}

TEST(ParseTaggingXmlTest, CountLimit) {
  EXPECT_TRUE(ParseTaggingXml(Doc(Numbered(10))).ok());
  // S3 answers more than 10 tags with 400 BadRequest, not InvalidTag.
  ExpectError(ParseTaggingXml(Doc(Numbered(11))), ErrorCode::kBadRequest,
              "Object tags cannot be greater than 10");
}

TEST(ParseTaggingXmlTest, DuplicateKeys) {
  ExpectError(ParseTaggingXml(Doc({{"a", "1"}, {"b", "2"}, {"a", "3"}})), ErrorCode::kInvalidTag,
              "Cannot provide multiple Tags with the same key");
  // Keys are case-sensitive.
  EXPECT_TRUE(ParseTaggingXml(Doc({{"a", "1"}, {"A", "1"}})).ok());
}

TEST(ParseTaggingXmlTest, LengthsCountUtf16CodeUnits) {
  EXPECT_TRUE(ParseTaggingXml(Doc({{Repeat("k", 128), Repeat("v", 256)}})).ok());
  ExpectError(ParseTaggingXml(Doc({{Repeat("k", 129), "v"}})), ErrorCode::kInvalidTag,
              "The TagKey you have provided is too long, max 128");
  ExpectError(ParseTaggingXml(Doc({{"k", Repeat("v", 257)}})), ErrorCode::kInvalidTag,
              "The TagValue you have provided is too long, max 256");
  // Two-byte UTF-8 characters count once; a character outside the BMP (U+20000, a CJK
  // ideograph) counts twice, as in UTF-16.
  EXPECT_TRUE(ParseTaggingXml(Doc({{Repeat("\xC3\xA9", 128), "v"}})).ok());
  EXPECT_TRUE(ParseTaggingXml(Doc({{Repeat("\xF0\xA0\x80\x80", 64), "v"}})).ok());
  ExpectError(ParseTaggingXml(Doc({{Repeat("\xF0\xA0\x80\x80", 64).append("a"), "v"}})),
              ErrorCode::kInvalidTag);
}

TEST(ParseTaggingXmlTest, CharacterSet) {
  EXPECT_TRUE(ParseTaggingXml(Doc({{"+- =._:/@", "+- =._:/@"}})).ok());
  EXPECT_TRUE(ParseTaggingXml(Doc({{"\303\234ber", "\xE6\x97\xA5\xE6\x9C\xAC"}})).ok());
  for (std::string bad : {"a!b", "a,b", "a*b", "a#b", "a(b)", "a\tb", "a&amp;b", "a?b",
                          "\xC2\xA7",           // section sign
                          "\342\200\234q",      // left double quotation mark
                          "\xF0\x9F\x98\x80"})  // an emoji
  {
    SCOPED_TRACE(bad);
    ExpectError(ParseTaggingXml(Doc({{bad, "v"}})), ErrorCode::kInvalidTag,
                "The TagKey you have provided is invalid");
    ExpectError(ParseTaggingXml(Doc({{"k", bad}})), ErrorCode::kInvalidTag,
                "The TagValue you have provided is invalid");
  }
  ExpectError(ParseTaggingXml(Doc({{"k", "\xC3"}})), ErrorCode::kInvalidTag);  // bad UTF-8
}

TEST(ParseTaggingXmlTest, EmptyAndReservedKeys) {
  ExpectError(ParseTaggingXml(Doc({{"", "v"}})), ErrorCode::kInvalidTag,
              "The TagKey you have provided is invalid");
  ExpectError(ParseTaggingXml(Doc({{"aws:owner", "v"}})), ErrorCode::kInvalidTag,
              "Your TagKey cannot be prefixed with aws:");
  EXPECT_TRUE(ParseTaggingXml(Doc({{"aws", "v"}, {"x:aws:", "v"}})).ok());
}

TEST(ParseTaggingXmlTest, TagErrorsComeBeforeTheCount) {
  StringPairs tags = Numbered(11);
  tags.back().first = "bad!";
  ExpectError(ParseTaggingXml(Doc(tags)), ErrorCode::kInvalidTag);
}

// A 2 MiB body holds ~58k tags: every check is linear (was a scan of the earlier tags
// per tag, seconds of work), and the answer is the one S3 gives.
TEST(ParseTaggingXmlTest, FiftyThousandTagsAreRefusedQuickly) {
  const std::string body = Doc(Numbered(50000));
  ExpectError(ParseTaggingXml(body), ErrorCode::kBadRequest,
              "Object tags cannot be greater than 10");
  ExpectError(ParseTaggingXml(body, TagSetOf::kBucket), ErrorCode::kBadRequest,
              "Bucket tag count cannot be greater than 50");
  StringPairs dup = Numbered(50000);
  dup.back().first = "k0";
  ExpectError(ParseTaggingXml(Doc(dup)), ErrorCode::kInvalidTag,
              "Cannot provide multiple Tags with the same key");
}

// Linear, not quadratic: 200k tags (2 * 10^10 key comparisons before) take well under
// a second; the bound is generous for a loaded machine.
TEST(ParseTaggingXmlTest, WorkIsLinearInTheTagCount) {
  StringPairs tags = Numbered(200000);
  tags.back().first = "k0";
  const std::string body = Doc(tags);
  const auto start = std::chrono::steady_clock::now();
  ExpectError(ParseTaggingXml(body), ErrorCode::kInvalidTag);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ParseTaggingHeaderTest, ManyPairsAreRefusedQuickly) {
  std::string header;
  for (int i = 0; i < 50000; ++i) header.append("k").append(std::to_string(i)).append("=v&");
  ExpectError(ParseTaggingHeader(header), ErrorCode::kBadRequest);
  ExpectError(ParseTaggingHeader(header + "k7=v"), ErrorCode::kInvalidArgument);
}

TEST(ParseTaggingHeaderTest, PairsAreDecodedAndSorted) {
  auto r = ParseTaggingHeader("tier=gold&project=kumo%20s3&empty=&bare&plus=a+b&enc=%2B%3D");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (StringPairs{{"bare", ""},
                             {"empty", ""},
                             {"enc", "+="},
                             {"plus", "a b"},
                             {"project", "kumo s3"},
                             {"tier", "gold"}}));
}

TEST(ParseTaggingHeaderTest, EmptyPairsAreSkipped) {
  for (std::string_view h : {"", "&", "&&&"}) {
    auto r = ParseTaggingHeader(h);
    ASSERT_TRUE(r.ok()) << h;
    EXPECT_TRUE(r->empty()) << h;
  }
  auto r = ParseTaggingHeader("&a=1&&b&");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (StringPairs{{"a", "1"}, {"b", ""}}));
}

TEST(ParseTaggingHeaderTest, MalformedEncodingIsInvalidArgument) {
  const std::string message =
      "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
      "parameters without tag name duplicates.";
  for (std::string_view h : {"=", "=v", "a=1&=2", "a%", "a=%G1", "a=1&a=2", "a=1&b&a",
                             "TagSet=[{Key=string,Value=string}]", "a=b=c", "a=%FF", "%C3=v"}) {
    SCOPED_TRACE(h);
    ExpectError(ParseTaggingHeader(h), ErrorCode::kInvalidArgument, message);
  }
}

TEST(ParseTaggingHeaderTest, TagLimitsApply) {
  std::string eleven;
  for (int i = 0; i < 11; ++i) eleven.append("k").append(std::to_string(i)).append("=v&");
  ExpectError(ParseTaggingHeader(eleven), ErrorCode::kBadRequest);
  ExpectError(ParseTaggingHeader(Repeat("k", 129) + "=v"), ErrorCode::kInvalidTag,
              "The TagKey you have provided is too long, max 128");
  ExpectError(ParseTaggingHeader(std::string("k=").append(Repeat("v", 257))),
              ErrorCode::kInvalidTag, "The TagValue you have provided is too long, max 256");
  // Decoded, "TagSet%3D..." is one key holding characters outside the tag set.
  ExpectError(ParseTaggingHeader("TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D"),
              ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
  ExpectError(ParseTaggingHeader("k=a%21"), ErrorCode::kInvalidTag,
              "The TagValue you have provided is invalid");
  ExpectError(ParseTaggingHeader("aws%3Ax=1"), ErrorCode::kInvalidTag);
}

TEST(RenderTaggingXmlTest, RoundTripsWithNamespace) {
  StringPairs tags = {{"a", "1"}, {"b", ""}, {"c&d", "<v>"}};
  std::string xml = RenderTaggingXml(tags);
  EXPECT_NE(xml.find("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Tag><Key>a</Key><Value>1</Value></Tag>"), std::string::npos) << xml;
  // "&" and "<" are escaped, so the document parses back (then fails the character set).
  ExpectError(ParseTaggingXml(xml), ErrorCode::kInvalidTag);
  tags.pop_back();
  auto back = ParseTaggingXml(RenderTaggingXml(tags));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, tags);
  auto empty = ParseTaggingXml(RenderTaggingXml({}));
  ASSERT_TRUE(empty.ok()) << RenderTaggingXml({});
  EXPECT_TRUE(empty->empty());
}

TEST(TagsFromRequestTest, HeaderSetsTagsAbsentHeaderLeavesThem) {
  storage::ObjectMeta meta;
  meta.tags = {{"keep", "me"}};
  HttpRequest none;
  ASSERT_TRUE(TagsFromRequest(none, &meta).ok());
  EXPECT_EQ(meta.tags, (StringPairs{{"keep", "me"}}));
  HttpRequest with;
  with.headers = {{"x-amz-tagging", "b=2&a=1"}};
  ASSERT_TRUE(TagsFromRequest(with, &meta).ok());
  EXPECT_EQ(meta.tags, (StringPairs{{"a", "1"}, {"b", "2"}}));
  with.headers = {{"x-amz-tagging", "a=1&a=1"}};
  EXPECT_TRUE(TagsFromRequest(with, &meta).Is(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace kumo::s3
