#include "s3/xml_writer.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>

namespace kumo::s3 {
namespace {

constexpr const char* kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// Parses a document; fails the test when it is not well-formed.
pugi::xml_node Parse(pugi::xml_document& doc, const std::string& xml) {
  pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << " at " << parsed.offset << "\n" << xml;
  return doc.document_element();
}

TEST(XmlWriterTest, StartsWithDeclarationAndHasNamespaceByDefault) {
  XmlWriter w("ListBucketResult");
  w.Text("Name", "bucket");
  std::string xml = w.Finish();
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << xml;

  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, xml);
  EXPECT_STREQ(root.name(), "ListBucketResult");
  EXPECT_STREQ(root.attribute("xmlns").value(), kS3Namespace);
  EXPECT_STREQ(root.child_value("Name"), "bucket");
}

TEST(XmlWriterTest, NamespaceCanBeOmitted) {
  XmlWriter w("Error", /*with_namespace=*/false);
  w.Text("Code", "NoSuchKey");
  std::string xml = w.Finish();
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, xml);
  EXPECT_STREQ(root.name(), "Error");
  EXPECT_TRUE(root.attribute("xmlns").empty()) << xml;
  EXPECT_EQ(xml.find("xmlns"), std::string::npos) << xml;
}

TEST(XmlWriterTest, EmptyRootAndEmptyText) {
  XmlWriter w("Empty", false);
  w.Text("Prefix", "");
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, w.Finish());
  EXPECT_STREQ(root.name(), "Empty");
  ASSERT_FALSE(root.child("Prefix").empty());
  EXPECT_STREQ(root.child_value("Prefix"), "");
}

TEST(XmlWriterTest, EscapesMarkupCharacters) {
  const std::string nasty = "a<b>c&d\"e'f]]>g";
  XmlWriter w("R", false);
  w.Text("Key", nasty);
  std::string xml = w.Finish();
  // The raw markup must not survive into the document.
  EXPECT_EQ(xml.find("a<b>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("c&d"), std::string::npos) << xml;
  pugi::xml_document doc;
  EXPECT_EQ(std::string(Parse(doc, xml).child_value("Key")), nasty);
}

TEST(XmlWriterTest, KeepsUtf8AndWhitespace) {
  const std::string text = "  caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80\ttab\nline  ";
  XmlWriter w("R", false);
  w.Text("Key", text);
  pugi::xml_document doc;
  Parse(doc, w.Finish());
  // parse_default does not normalize whitespace in PCDATA (parse_ws_pcdata is about
  // whitespace-only nodes), so the value round-trips exactly.
  EXPECT_EQ(std::string(doc.document_element().child_value("Key")), text);
}

// XML 1.0 cannot carry C0 controls other than TAB, LF and CR, not even as character
// references ("&#1;" is refused by expat, libxml2, the JDK): they become U+FFFD, and the
// value is never cut at a NUL (it was, when the writer went through c_str()).
TEST(XmlWriterTest, CharactersXmlCannotCarryBecomeReplacementCharacters) {
  const std::string text =
      std::string("a\x01") + "b\x1f" + "c\x7f" + "d" + std::string(1, '\0') + "e\xEF\xBF\xBE" + "f";
  XmlWriter w("R", false);
  w.Text("Key", text);
  w.Text("After", "x");
  std::string xml = w.Finish();
  for (char c : {'\x01', '\x1f', '\0'}) {
    EXPECT_EQ(xml.find(c), std::string::npos) << "raw control byte in output";
  }
  EXPECT_EQ(xml.find("&#"), std::string::npos) << xml;
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, xml);
  EXPECT_EQ(std::string(root.child_value("Key")),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\x7f"
            "d\xEF\xBF\xBD"
            "e\xEF\xBF\xBD"
            "f");
  EXPECT_STREQ(root.child_value("After"), "x");
}

TEST(XmlWriterTest, CarriageReturnSurvivesEndOfLineNormalization) {
  XmlWriter w("R", false);
  w.Text("Key", "a\r\nb\rc");
  std::string xml = w.Finish();
  EXPECT_EQ(xml.find('\r'), std::string::npos) << xml;
  pugi::xml_document doc;
  EXPECT_EQ(std::string(Parse(doc, xml).child_value("Key")), "a\r\nb\rc");
}

TEST(XmlWriterTest, NestedOpenClose) {
  XmlWriter w("ListBucketResult");
  w.Text("Name", "b");
  w.Open("Contents");
  w.Text("Key", "k1");
  w.Open("Owner");
  w.Text("ID", "owner-1");
  w.Close();  // Owner
  w.Text("Size", "10");
  w.Close();  // Contents
  w.Open("Contents");
  w.Text("Key", "k2");
  w.Close();
  w.Text("IsTruncated", "false");
  std::string xml = w.Finish();

  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, xml);
  EXPECT_STREQ(root.child_value("Name"), "b");
  EXPECT_STREQ(root.child_value("IsTruncated"), "false");
  pugi::xml_node first = root.child("Contents");
  ASSERT_FALSE(first.empty()) << xml;
  EXPECT_STREQ(first.child_value("Key"), "k1");
  EXPECT_STREQ(first.child("Owner").child_value("ID"), "owner-1");
  EXPECT_STREQ(first.child_value("Size"), "10");
  // Size went to Contents, not Owner, after the Close.
  EXPECT_TRUE(first.child("Owner").child("Size").empty()) << xml;
  pugi::xml_node second = first.next_sibling("Contents");
  ASSERT_FALSE(second.empty()) << xml;
  EXPECT_STREQ(second.child_value("Key"), "k2");
  EXPECT_TRUE(second.child("Owner").empty());
  // IsTruncated is a child of the root, after both Contents.
  EXPECT_STREQ(second.next_sibling().name(), "IsTruncated");
}

TEST(XmlWriterTest, ExtraCloseStaysAtRoot) {
  XmlWriter w("R", false);
  w.Close();
  w.Close();
  w.Text("A", "1");
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, w.Finish());
  EXPECT_STREQ(root.name(), "R");
  EXPECT_STREQ(root.child_value("A"), "1");
}

TEST(XmlWriterTest, FinishClosesOpenElements) {
  XmlWriter w("R", false);
  w.Open("A");
  w.Open("B");
  w.Text("C", "x");
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, w.Finish());
  EXPECT_STREQ(root.child("A").child("B").child_value("C"), "x");
}

TEST(XmlWriterTest, ValueSetsTextOfCurrentElement) {
  XmlWriter w("LocationConstraint");
  w.Value("eu-west-1");
  std::string xml = w.Finish();
  pugi::xml_document doc;
  pugi::xml_node root = Parse(doc, xml);
  EXPECT_STREQ(root.name(), "LocationConstraint");
  EXPECT_STREQ(root.child_value(), "eu-west-1");
  EXPECT_STREQ(root.attribute("xmlns").value(), kS3Namespace);
  EXPECT_NE(xml.find(">eu-west-1</LocationConstraint>"), std::string::npos) << xml;
}

TEST(XmlWriterTest, ValueInsideOpenedElementIsEscaped) {
  XmlWriter w("R", false);
  w.Open("Item");
  w.Value("1 < 2 & 3");
  w.Close();
  pugi::xml_document doc;
  EXPECT_STREQ(Parse(doc, w.Finish()).child_value("Item"), "1 < 2 & 3");
}

TEST(XmlWriterTest, OutputIsCompact) {
  XmlWriter w("R", false);
  w.Open("A");
  w.Text("B", "1");
  w.Close();
  std::string xml = w.Finish();
  EXPECT_EQ(xml.find('\n'), std::string::npos) << xml;
  EXPECT_NE(xml.find("<R><A><B>1</B></A></R>"), std::string::npos) << xml;
}

}  // namespace
}  // namespace kumo::s3
