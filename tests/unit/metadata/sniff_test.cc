#include "sniff.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace kumo::metadata {
namespace {

TEST(MetadataSniff, LibmagicNamesCommonFormats) {
  EXPECT_EQ(SniffMime(testing::MakeImage(".png", 8, 8)), "image/png");
  EXPECT_EQ(SniffMime(testing::MakeImage(".jpg", 8, 8)), "image/jpeg");
  EXPECT_EQ(SniffMime("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "application/pdf");
  EXPECT_EQ(SniffMime("just some words\n"), "text/plain");
  EXPECT_EQ(SniffMime("<!DOCTYPE html><html><body>hi</body></html>"), "text/html");
}

TEST(MetadataSniff, NormalizeDropsParametersAndMapsAliases) {
  EXPECT_EQ(NormalizeMime("Text/HTML; charset=UTF-8"), "text/html");
  EXPECT_EQ(NormalizeMime("image/jpg"), "image/jpeg");
  EXPECT_EQ(NormalizeMime("audio/x-wav"), "audio/wav");
  EXPECT_EQ(NormalizeMime("text/xml"), "application/xml");
}

TEST(MetadataSniff, MismatchRule) {
  // The same type, spelt differently.
  EXPECT_FALSE(MimeMismatch("image/jpg", "image/jpeg"));
  EXPECT_FALSE(MimeMismatch("image/jpeg; q=1", "image/jpeg"));
  // Generic claims and generic answers say nothing.
  EXPECT_FALSE(MimeMismatch("", "image/png"));
  EXPECT_FALSE(MimeMismatch("application/octet-stream", "image/png"));
  EXPECT_FALSE(MimeMismatch("binary/octet-stream", "application/pdf"));
  EXPECT_FALSE(MimeMismatch("image/png", "application/octet-stream"));
  EXPECT_FALSE(MimeMismatch("text/plain", "application/x-empty"));
  // libmagic cannot tell text formats apart reliably.
  EXPECT_FALSE(MimeMismatch("text/markdown", "text/plain"));
  EXPECT_FALSE(MimeMismatch("text/csv; charset=utf-8", "text/plain"));
  EXPECT_FALSE(MimeMismatch("application/json", "text/plain"));
  // One container for audio and video; ZIP-based documents.
  EXPECT_FALSE(MimeMismatch("audio/mp4", "video/mp4"));
  EXPECT_FALSE(
      MimeMismatch("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "application/zip"));
  // Lies.
  EXPECT_TRUE(MimeMismatch("image/jpeg", "image/png"));
  EXPECT_TRUE(MimeMismatch("text/plain", "application/pdf"));
  EXPECT_TRUE(MimeMismatch("image/png", "text/html"));
  EXPECT_TRUE(MimeMismatch("video/mp4", "audio/wav"));
}

TEST(MetadataSniff, Formats) {
  EXPECT_EQ(FormatOfMime("image/jpeg"), "jpeg");
  EXPECT_EQ(FormatOfMime("application/pdf"), "pdf");
  EXPECT_EQ(FormatOfMime("audio/wav"), "wav");
  EXPECT_EQ(FormatOfMime("application/x-unknown"), "");
}

}  // namespace
}  // namespace kumo::metadata
