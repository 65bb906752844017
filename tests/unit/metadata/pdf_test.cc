#include "pdf.h"

#include <gtest/gtest.h>

#include "attribute_values.h"
#include "fixtures.h"

namespace kumo::metadata {
namespace {

using testing::Str;

TEST(MetadataPdf, PagesInfoAndTextOfTheFirstPages) {
  std::string pdf = testing::MakePdf({"Hello Kumo page one", "Second page here", "Third never"},
                                     "Quarterly Report", "Ada Lovelace", "D:20240501102030Z");
  Attributes a;
  std::string text = ReadPdf(pdf, 2, 64 * 1024, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(std::get<int64_t>(*a.Get("pages")), 3);
  EXPECT_EQ(Str(a, "title"), "Quarterly Report");
  EXPECT_EQ(Str(a, "author"), "Ada Lovelace");
  EXPECT_EQ(Str(a, "created"), "2024-05-01T10:20:30Z");
  EXPECT_NE(text.find("Hello Kumo page one"), std::string::npos) << text;
  EXPECT_NE(text.find("Second page here"), std::string::npos) << text;
  EXPECT_EQ(text.find("Third"), std::string::npos) << text;
}

TEST(MetadataPdf, TextLimit) {
  std::string pdf = testing::MakePdf({"abcdefghijklmnopqrstuvwxyz"}, "t", "a", "D:20240501");
  Attributes a;
  EXPECT_LE(ReadPdf(pdf, 3, 10, a).size(), 10u);
}

TEST(MetadataPdf, CorruptAddsAPdfError) {
  Attributes a;
  ReadPdf("%PDF-1.4\nthis is not a pdf at all", 3, 1024, a);
  EXPECT_EQ(Str(a, "error").rfind("pdf: ", 0), 0u) << Str(a, "error");
  EXPECT_FALSE(a.Has("pages"));
}

}  // namespace
}  // namespace kumo::metadata
