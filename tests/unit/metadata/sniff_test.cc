#include "sniff.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

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

// The shortcuts of SniffMime answer what libmagic itself would.
TEST(MetadataSniff, ShortcutsAgreeWithLibmagic) {
  std::vector<std::pair<std::string, std::string>> cases = {
      {"jpeg", testing::MakeImage(".jpg", 8, 8)},
      {"png", testing::MakeImage(".png", 8, 8)},
      {"gif", testing::MakeImage(".gif", 8, 8)},
      {"webp", testing::MakeImage(".webp", 8, 8)},
      {"tiff", testing::MakeImage(".tif", 8, 8)},
      {"heic", testing::MakeImage(".heic", 16, 16)},
      {"avif", testing::MakeImage(".avif", 16, 16)},
      {"mp4", testing::Ffmpeg("-f lavfi -i testsrc=size=32x32:rate=5 -t 0.4 -c:v mpeg4", "s.mp4")},
      {"mov", testing::Ffmpeg("-f lavfi -i testsrc=size=32x32:rate=5 -t 0.4 -c:v mpeg4", "s.mov")},
      {"wav", testing::Ffmpeg("-f lavfi -i sine=sample_rate=8000 -t 0.2", "s.wav")},
      {"flac", testing::Ffmpeg("-f lavfi -i sine=sample_rate=8000 -t 0.2", "s.flac")},
      {"mkv", testing::Ffmpeg("-f lavfi -i testsrc=size=32x32:rate=5 -t 0.4 -c:v mpeg4", "s.mkv")},
      {"pdf", testing::MakePdf({"x"}, "t", "a", "D:20240101")},
      {"mp3", testing::Ffmpeg("-f lavfi -i sine=sample_rate=44100 -t 0.5 -c:a libmp3lame "
                              "-id3v2_version 0 -write_xing 0",
                              "s.mp3")},
      {"id3",
       testing::Ffmpeg("-f lavfi -i sine=sample_rate=44100 -t 0.5 -c:a libmp3lame", "i.mp3")},
      {"adts",
       testing::Ffmpeg("-f lavfi -i sine=sample_rate=44100 -t 0.5 -c:a aac -f adts", "s.aac")},
      {"ogg",
       testing::Ffmpeg("-f lavfi -i sine=sample_rate=44100 -t 0.5 -c:a flac -f ogg", "s.ogg")},
      {"random",
       [] {
         std::string r(8192, '\0');
         uint32_t x = 12345;
         for (char& c : r) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
         return r;
       }()},
      {"html", "<!DOCTYPE html>\n<html><head><title>x</title></head><body>y</body></html>\n"},
      {"xml", "<?xml version=\"1.0\"?>\n<root><a>1</a></root>\n"},
      {"svg",
       "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" "
       "height=\"1\"></svg>\n"},
      {"json", "{\"a\": [1, 2], \"b\": \"c\"}\n"},
      {"csv", "a,b,c\n1,2,3\n4,5,6\n"},
      {"text", "Just a line of words.\nAnd another.\n"},
      {"script", "#!/bin/sh\necho hi\n"},
  };
  for (const auto& [name, data] : cases) {
    EXPECT_EQ(SniffMime(data), SniffMimeWithLibmagic(data)) << name;
  }
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
