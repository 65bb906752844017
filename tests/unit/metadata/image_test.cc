#include <gtest/gtest.h>

#include <cmath>

#include "attribute_values.h"
#include "exif.h"
#include "fixtures.h"
#include "image_header.h"

namespace kumo::metadata {
namespace {

using testing::Int;
using testing::Num;
using testing::Str;

using testing::ExifBuilder;
using testing::MakeImage;

struct Case {
  const char* suffix;
  const char* format;
};

class MetadataImageHeader : public ::testing::TestWithParam<Case> {};

TEST_P(MetadataImageHeader, ReadsFormatSizeAndColourSpace) {
  std::string data = MakeImage(GetParam().suffix, 37, 21);
  Attributes a;
  ReadImageHeader(data, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(Str(a, "format"), GetParam().format);
  EXPECT_EQ(Int(a, "width"), 37);
  EXPECT_EQ(Int(a, "height"), 21);
  EXPECT_EQ(Str(a, "color_space"), "srgb");
}

INSTANTIATE_TEST_SUITE_P(Formats, MetadataImageHeader,
                         ::testing::Values(Case{".jpg", "jpeg"}, Case{".png", "png"},
                                           Case{".webp", "webp"}, Case{".tif", "tiff"},
                                           Case{".heic", "heif"}, Case{".avif", "avif"}),
                         [](const auto& info) { return std::string(info.param.format); });

TEST(MetadataImageHeader2, Gif) {
  // libvips saves GIF palettised; its interpretation is still srgb.
  std::string data = MakeImage(".gif", 12, 9);
  Attributes a;
  ReadImageHeader(data, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(Str(a, "format"), "gif");
  EXPECT_EQ(Int(a, "width"), 12);
  EXPECT_EQ(Int(a, "height"), 9);
}

TEST(MetadataImageHeader2, GarbageAddsAnImageError) {
  Attributes a;
  std::string png = MakeImage(".png", 10, 10).substr(0, 20);  // cut inside IHDR
  ReadImageHeader(png, a);
  EXPECT_EQ(Str(a, "error").rfind("image: ", 0), 0u) << Str(a, "error");
}

TEST(MetadataImageHeader2, TrailerCheck) {
  Attributes ok;
  CheckImageTrailer("jpeg", std::string_view("\x00\x01\xff\xd9", 4), ok);
  EXPECT_FALSE(ok.Has("error"));
  Attributes cut;
  CheckImageTrailer("jpeg", "\x12\x34\x56", cut);
  EXPECT_EQ(Str(cut, "error"), "image: truncated JPEG: no EOI marker at the end");
}

std::string CameraExif(bool south_west) {
  ExifBuilder b;
  b.Ascii(EXIF_IFD_0, EXIF_TAG_MAKE, "FUJIFILM")
      .Ascii(EXIF_IFD_0, EXIF_TAG_MODEL, "X100V")
      .Short(EXIF_IFD_0, EXIF_TAG_ORIENTATION, 6)
      .Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2024:05:01 10:20:30")
      .Ascii(EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL, "23mm F2")
      .Rationals(EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, {{1, 125}})
      .Short(EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, 200)
      .Rationals(EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH, {{230, 10}})
      .Ascii(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE_REF, south_west ? "S" : "N")
      .Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE, {{48, 1}, {51, 1}, {2960, 100}})
      .Ascii(EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE_REF, south_west ? "W" : "E")
      .Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE, {{2, 1}, {17, 1}, {4020, 100}})
      .Byte(EXIF_IFD_GPS, EXIF_TAG_GPS_ALTITUDE_REF, south_west ? 1 : 0)
      .Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_ALTITUDE, {{355, 10}});
  if (south_west) b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "-03:00");
  return b.Block();
}

void ExpectCamera(const Attributes& a, bool south_west) {
  double sign = south_west ? -1 : 1;
  EXPECT_EQ(Str(a, "exif.make"), "FUJIFILM");
  EXPECT_EQ(Str(a, "exif.model"), "X100V");
  EXPECT_EQ(Str(a, "exif.lens"), "23mm F2");
  EXPECT_EQ(Int(a, "orientation"), 6);
  EXPECT_EQ(Str(a, "exif.taken_at"),
            south_west ? "2024-05-01T10:20:30-03:00" : "2024-05-01T10:20:30Z");
  EXPECT_DOUBLE_EQ(Num(a, "exif.exposure"), 1.0 / 125);
  EXPECT_EQ(Int(a, "exif.iso"), 200);
  EXPECT_DOUBLE_EQ(Num(a, "exif.focal_length"), 23.0);
  EXPECT_NEAR(Num(a, "gps.lat"), sign * (48 + 51 / 60.0 + 29.6 / 3600), 1e-9);
  EXPECT_NEAR(Num(a, "gps.lon"), sign * (2 + 17 / 60.0 + 40.2 / 3600), 1e-9);
  EXPECT_NEAR(Num(a, "gps.alt"), sign * 35.5, 1e-9);
}

TEST(MetadataExif, JpegWithCameraAndGpsThroughLibvips) {
  std::string jpeg = testing::WithExif(MakeImage(".jpg", 16, 16), CameraExif(false));
  Attributes a;
  std::string block = ReadImageHeader(jpeg, a);
  ASSERT_FALSE(block.empty()) << Str(a, "error");
  EXPECT_EQ(Int(a, "orientation"), 6);  // libvips reads it too
  ReadExif(block, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  ExpectCamera(a, false);
}

TEST(MetadataExif, SouthWestBelowSeaLevelWithOffsetFromTheJpegItself) {
  std::string jpeg = testing::WithExif(MakeImage(".jpg", 16, 16), CameraExif(true));
  Attributes a;
  ReadExif(jpeg, a);  // libexif finds APP1 in the JPEG
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  ExpectCamera(a, true);
}

TEST(MetadataExif, CorruptBlockAddsAnExifError) {
  Attributes a;
  ReadExif(std::string("Exif\0\0II*\0\xff\xff\xff\x7f", 14), a);
  EXPECT_EQ(Str(a, "error").rfind("exif: ", 0), 0u) << Str(a, "error");
}

}  // namespace
}  // namespace kumo::metadata
