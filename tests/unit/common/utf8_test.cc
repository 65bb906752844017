#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));                   // é
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));                  // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));              // 😀
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));              // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));  // NUL is a character
}

TEST(Utf8Test, RefusesIllFormedText) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // cut inside a character
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8Test, ReplacesEachMaximalInvalidSubpart) {
  EXPECT_EQ(MakeValidUtf8("ok"), "ok");
  EXPECT_EQ(MakeValidUtf8("a\xC3"), "a" + kReplacement);
  EXPECT_EQ(MakeValidUtf8("a\xFF\xFE"
                          "b"),
            "a" + kReplacement + kReplacement + "b");
  // E2 82 is the start of € missing its last byte: one replacement, then 'x'.
  EXPECT_EQ(MakeValidUtf8("\xE2\x82x"), kReplacement + "x");
  EXPECT_EQ(MakeValidUtf8("\xC3\xA9\xC3"), "\xC3\xA9" + kReplacement);
  EXPECT_TRUE(IsValidUtf8(MakeValidUtf8("\xED\xA0\x80\xF4\x90\x80\x80")));
}

TEST(Utf8Test, TruncatesAtACharacterBoundary) {
  std::string s = "a";
  for (int i = 0; i < 200; ++i) s += "\xC3\xA9";  // the reproduction: "a" + "é" * 200
  std::string_view cut = TruncateUtf8(s, 256);
  EXPECT_EQ(cut.size(), 255u);  // 256 would split an é
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_EQ(TruncateUtf8("short", 256), "short");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x98\x80", 3), "");
  EXPECT_EQ(ValidUtf8Prefix("ab\xC3"), 2u);
}

}  // namespace
}  // namespace kumo
