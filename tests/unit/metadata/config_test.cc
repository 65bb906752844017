#include "config.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kumo::metadata {
namespace {

TEST(MetadataConfig, DefaultsWhenEmpty) {
  Config c = ParseConfig("{}");
  EXPECT_TRUE(c.mime && c.sha256 && c.image && c.exif && c.media && c.pdf && c.text);
  EXPECT_EQ(c.head_bytes, 1u << 20);
  EXPECT_EQ(c.sha256_max_bytes, uint64_t{256} << 20);
  EXPECT_EQ(c.pdf_max_bytes, uint64_t{64} << 20);
  EXPECT_EQ(c.pdf_text_pages, 3u);
  EXPECT_EQ(c.text_limit_kib, 64u);
  EXPECT_TRUE(c.Matches("any/key"));
}

TEST(MetadataConfig, ReadsEveryKey) {
  Config c = ParseConfig(R"({"extractors":["mime","image"],"prefixes":["photos/","docs/"],
    "head_bytes":65536,"sha256_max_bytes":0,"pdf_max_bytes":1000,"pdf_text_pages":1,
    "text_limit_kib":8})");
  EXPECT_TRUE(c.mime && c.image);
  EXPECT_FALSE(c.sha256 || c.exif || c.media || c.pdf || c.text);
  EXPECT_EQ(c.head_bytes, 65536u);
  EXPECT_EQ(c.sha256_max_bytes, 0u);
  EXPECT_EQ(c.pdf_max_bytes, 1000u);
  EXPECT_EQ(c.pdf_text_pages, 1u);
  EXPECT_EQ(c.text_limit_kib, 8u);
  EXPECT_TRUE(c.Matches("photos/a.jpg"));
  EXPECT_TRUE(c.Matches("docs/x"));
  EXPECT_FALSE(c.Matches("other/photos/a.jpg"));
}

void ExpectRejected(const char* json, const char* needle) {
  try {
    ParseConfig(json);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(MetadataConfig, RejectsUnknownKeysAndWrongTypesNamingTheKey) {
  ExpectRejected(R"({"head_byte":1})", "\"head_byte\": unknown key");
  ExpectRejected(R"({"head_bytes":"1MiB"})", "\"head_bytes\": must be an integer");
  ExpectRejected(R"({"head_bytes":-5})", "\"head_bytes\": must be between");
  ExpectRejected(R"({"head_bytes":100})", "\"head_bytes\": must be between");
  ExpectRejected(R"({"extractors":"mime"})", "\"extractors\": must be a list");
  ExpectRejected(R"({"extractors":["mime","ocr"]})", "unknown extractor \"ocr\"");
  ExpectRejected(R"({"prefixes":[1]})", "\"prefixes\": must be a list of strings");
  ExpectRejected(R"({"pdf_text_pages":1.5})", "\"pdf_text_pages\": must be an integer");
  ExpectRejected(R"([1])", "must be a table");
  ExpectRejected(R"({bad json)", "not JSON");
}

}  // namespace
}  // namespace kumo::metadata
