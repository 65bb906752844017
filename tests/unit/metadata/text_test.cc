#include "text.h"

#include <gtest/gtest.h>

namespace kumo::metadata {
namespace {

TEST(MetadataText, TruncateCutsAtCharacterBoundary) {
  std::string s =
      "ab\xc3\xa9"
      "cd";  // "abécd"
  EXPECT_EQ(TruncateUtf8(s, 3), "ab");
  EXPECT_EQ(TruncateUtf8(s, 4), "ab\xc3\xa9");
  EXPECT_EQ(TruncateUtf8(s, 100), s);
}

TEST(MetadataText, ToUtf8KeepsUtf8DropsCutCharacterAndConvertsLatin1) {
  EXPECT_EQ(ToUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(ToUtf8("caf\xc3"), "caf");  // cut in the middle of a character
  EXPECT_EQ(ToUtf8("caf\xe9 cr\xe8me"), "caf\xc3\xa9 cr\xc3\xa8me");
  EXPECT_EQ(ToUtf8(std::string("a\0b", 3)), "ab");
}

TEST(MetadataText, StripHtml) {
  std::string html =
      "<html><head><title>T</title><style>p{color:red}</style>"
      "<script>var x = '<p>no</p>';</script></head>"
      "<body><!-- hidden --><p>Fish &amp; chips</p>\n\n<p>caf&#233;&nbsp;&#x41;</p></body></html>";
  EXPECT_EQ(StripHtml(html), "T Fish & chips caf\xc3\xa9 A");
}

TEST(MetadataText, JsonTopLevelKeysIgnoresNestedAndToleratesTruncation) {
  auto keys = JsonTopLevelKeys(R"( {"id": 1, "name": "a,b", "nested": {"inner": [1, {"x": 2}]},
      "list": ["k"], "esc\"aped": null, "last": tr)");
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "name", "nested", "list", "esc\"aped", "last"}));
  EXPECT_TRUE(JsonTopLevelKeys("[1,2]").empty());
  EXPECT_TRUE(JsonTopLevelKeys("").empty());
}

TEST(MetadataText, CsvColumns) {
  EXPECT_EQ(CsvColumns("id,name, \"price, EUR\",\"say \"\"hi\"\"\"\r\n1,2,3,4\n"),
            (std::vector<std::string>{"id", "name", "price, EUR", "say \"hi\""}));
  EXPECT_EQ(CsvColumns("a;b;c\n1;2;3\n"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(CsvColumns("a\tb\n", true), (std::vector<std::string>{"a", "b"}));
}

TEST(MetadataText, ReadTextByKind) {
  Attributes a;
  std::string text = ReadText(R"({"a": 1, "b": {"c": 2}})", "application/json", "", 1024, a);
  EXPECT_EQ(std::get<std::string>(*a.Get("json.keys")), "a,b");
  EXPECT_EQ(text, R"({"a": 1, "b": {"c": 2}})");

  Attributes c;
  ReadText("x,y\n1,2\n", "text/plain", "text/csv", 1024, c);  // libmagic said text/plain
  EXPECT_EQ(std::get<std::string>(*c.Get("csv.columns")), "x,y");

  Attributes h;
  EXPECT_EQ(ReadText("<p>Hello <b>world</b></p>", "text/html", "", 1024, h), "Hello world");

  Attributes t;
  std::string big(100 * 1024, 'x');
  EXPECT_EQ(ReadText(big, "text/plain", "", 64 * 1024, t).size(), 64u * 1024);
}

}  // namespace
}  // namespace kumo::metadata
