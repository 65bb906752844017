#include "attributes.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace kumo::metadata {
namespace {

TEST(MetadataAttributes, NestsDottedNamesAndKeepsTypes) {
  Attributes a;
  a.Set("width", int64_t{4000});
  a.Set("exif.model", "X100");
  a.Set("exif.exposure", 0.008);
  a.Set("gps.lat", -33.5);
  a.Set("mime_mismatch", true);
  a.Set("bad", std::numeric_limits<double>::infinity());
  auto j = nlohmann::json::parse(a.ToJson());
  EXPECT_EQ(j["width"], 4000);
  EXPECT_EQ(j["exif"]["model"], "X100");
  EXPECT_DOUBLE_EQ(j["exif"]["exposure"].get<double>(), 0.008);
  EXPECT_DOUBLE_EQ(j["gps"]["lat"].get<double>(), -33.5);
  EXPECT_EQ(j["mime_mismatch"], true);
  EXPECT_FALSE(j.contains("bad"));
}

TEST(MetadataAttributes, ErrorsAccumulateAndBadUtf8IsReplaced) {
  Attributes a;
  a.AddError("image", "bad header");
  a.AddError("exif", "no IFD");
  a.Set("title", std::string("caf\xe9"));
  auto j = nlohmann::json::parse(a.ToJson());
  EXPECT_EQ(j["error"], "image: bad header; exif: no IFD");
  EXPECT_EQ(j["title"], "caf\xef\xbf\xbd");
}

TEST(MetadataAttributes, SetDefaultDoesNotOverride) {
  Attributes a;
  a.Set("format", "mp4");
  a.SetDefault("format", "mov");
  a.SetDefault("pages", "");
  EXPECT_EQ(std::get<std::string>(*a.Get("format")), "mp4");
  EXPECT_FALSE(a.Has("pages"));
}

}  // namespace
}  // namespace kumo::metadata
