#include "extract.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "attribute_values.h"
#include "fixtures.h"

namespace kumo::metadata {
namespace {

using testing::Bool;
using testing::Str;

using testing::MakeImage;
using testing::MemoryObject;

TEST(MetadataExtract, ShaOfKnownInput) {
  MemoryObject obj("abc", "text/plain");
  Extracted x = Extract(Config{}, obj.object());
  EXPECT_EQ(Str(x.attributes, "sha256"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Str(x.attributes, "mime"), "text/plain");
  EXPECT_FALSE(Bool(x.attributes, "mime_mismatch"));
  EXPECT_EQ(x.text, "abc");
}

TEST(MetadataExtract, ShaStreamsPastTheHeadAndHonoursItsLimit) {
  std::string data(3 << 20, '\0');
  std::mt19937 rng(7);
  for (char& c : data) c = static_cast<char>(rng());
  Config c;
  c.head_bytes = 64 * 1024;
  MemoryObject obj(data);
  Extracted whole = Extract(c, obj.object());
  MemoryObject one_chunk(data);
  Config big_head;
  big_head.head_bytes = 8 << 20;
  EXPECT_EQ(Str(whole.attributes, "sha256"),
            Str(Extract(big_head, one_chunk.object()).attributes, "sha256"));
  EXPECT_EQ(obj.bytes_read(), data.size());
  c.sha256_max_bytes = data.size() - 1;
  MemoryObject skipped(data);
  EXPECT_FALSE(Extract(c, skipped.object()).attributes.Has("sha256"));
  EXPECT_LE(skipped.bytes_read(), 64u * 1024);
}

TEST(MetadataExtract, JpegWithoutShaReadsOnlyItsHeader) {
  // A JPEG followed by 5 MiB (as a large image's entropy-coded data would be).
  std::string jpeg = MakeImage(".jpg", 64, 48) + std::string(5 << 20, '\x55');
  Config c;
  c.sha256 = false;
  MemoryObject obj(jpeg, "image/jpeg");
  Extracted x = Extract(c, obj.object());
  EXPECT_EQ(Str(x.attributes, "format"), "jpeg");
  EXPECT_EQ(std::get<int64_t>(*x.attributes.Get("width")), 64);
  EXPECT_LE(obj.bytes_read(), 64u * 1024);
  EXPECT_EQ(obj.opens(), 1);
}

// TIFF, HEIF and WebP headers need the object's size and random access: read through
// RandomAccess when the object is larger than the head.
TEST(MetadataExtract, RandomAccessImageHeadersBeyondTheHead) {
  for (const char* suffix : {".tif", ".heic", ".webp"}) {
    std::string data = MakeImage(suffix, 200, 150);
    Config c;
    c.head_bytes = 4096;
    c.sha256 = false;
    ASSERT_GT(data.size(), c.head_bytes) << suffix;
    MemoryObject obj(data);
    Extracted x = Extract(c, obj.object());
    EXPECT_FALSE(x.attributes.Has("error")) << suffix << ": " << Str(x.attributes, "error");
    ASSERT_TRUE(x.attributes.Has("width")) << suffix;
    EXPECT_EQ(std::get<int64_t>(*x.attributes.Get("width")), 200) << suffix;
    EXPECT_EQ(std::get<int64_t>(*x.attributes.Get("height")), 150) << suffix;
  }
}

TEST(MetadataExtract, ClaimedTypeThatLies) {
  MemoryObject png(MakeImage(".png", 8, 8), "image/jpeg");
  Extracted x = Extract(Config{}, png.object());
  EXPECT_EQ(Str(x.attributes, "mime"), "image/png");
  EXPECT_TRUE(Bool(x.attributes, "mime_mismatch"));
  EXPECT_EQ(Str(x.attributes, "format"), "png");

  MemoryObject honest(MakeImage(".png", 8, 8), "image/png");
  EXPECT_FALSE(Bool(Extract(Config{}, honest.object()).attributes, "mime_mismatch"));
}

TEST(MetadataExtract, TruncatedJpegStoresWhatItCanWithAnError) {
  std::string jpeg =
      testing::WithExif(MakeImage(".jpg", 32, 32),
                        testing::ExifBuilder().Ascii(EXIF_IFD_0, EXIF_TAG_MODEL, "Z9").Block());
  // Cut before the end: the header reads, the missing EOI is reported.
  MemoryObject tail_cut(jpeg.substr(0, jpeg.size() - 40), "image/jpeg");
  Extracted a = Extract(Config{}, tail_cut.object());
  EXPECT_EQ(std::get<int64_t>(*a.attributes.Get("width")), 32);
  EXPECT_EQ(Str(a.attributes, "exif.model"), "Z9");
  EXPECT_EQ(Str(a.attributes, "error"), "image: truncated JPEG: no EOI marker at the end");
  // Cut inside the header: libvips fails, EXIF is still read.
  size_t sof = jpeg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  MemoryObject header_cut(jpeg.substr(0, sof + 4), "image/jpeg");
  Extracted b = Extract(Config{}, header_cut.object());
  EXPECT_EQ(Str(b.attributes, "mime"), "image/jpeg");
  EXPECT_EQ(Str(b.attributes, "exif.model"), "Z9");
  EXPECT_EQ(Str(b.attributes, "error").rfind("image: ", 0), 0u) << Str(b.attributes, "error");
  EXPECT_TRUE(b.attributes.Has("sha256"));
  EXPECT_NO_THROW(nlohmann::json::parse(b.attributes.ToJson()));
}

TEST(MetadataExtract, PdfThroughThePipeline) {
  std::string pdf = testing::MakePdf({"Invoice 42"}, "Invoice", "ACME", "D:20240101000000Z");
  MemoryObject obj(pdf, "application/pdf");
  Config c;
  c.head_bytes = 4096;  // smaller than nothing here, but PDFs are read whole anyway
  Extracted x = Extract(c, obj.object());
  EXPECT_EQ(Str(x.attributes, "format"), "pdf");
  EXPECT_EQ(std::get<int64_t>(*x.attributes.Get("pages")), 1);
  EXPECT_NE(x.text.find("Invoice 42"), std::string::npos);
  c.pdf_max_bytes = pdf.size() - 1;
  MemoryObject big(pdf);
  EXPECT_FALSE(Extract(c, big.object()).attributes.Has("pages"));
}

TEST(MetadataExtract, TextFormats) {
  MemoryObject json(R"({"user": "ada", "roles": ["x"], "active": true})", "application/json");
  Extracted j = Extract(Config{}, json.object());
  EXPECT_EQ(Str(j.attributes, "json.keys"), "user,roles,active");
  EXPECT_FALSE(Bool(j.attributes, "mime_mismatch"));

  MemoryObject csv("name,age,city\nada,36,london\nbob,40,paris\n", "text/csv");
  Extracted c = Extract(Config{}, csv.object());
  EXPECT_EQ(Str(c.attributes, "csv.columns"), "name,age,city");

  MemoryObject html("<!DOCTYPE html><html><body><h1>Title</h1><p>Body text</p></body></html>",
                    "text/html; charset=utf-8");
  Extracted h = Extract(Config{}, html.object());
  EXPECT_EQ(Str(h.attributes, "mime"), "text/html");
  EXPECT_EQ(h.text, "Title Body text");

  MemoryObject md("# Heading\n\nSome *markdown* text.\n", "text/markdown");
  Extracted m = Extract(Config{}, md.object());
  EXPECT_FALSE(Bool(m.attributes, "mime_mismatch"));
  EXPECT_EQ(m.text, "# Heading\n\nSome *markdown* text.\n");
}

TEST(MetadataExtract, WavThroughThePipelineWithAndWithoutSha) {
  std::string wav =
      testing::Ffmpeg("-f lavfi -i sine=frequency=300:sample_rate=8000 -t 1", "pipeline.wav");
  for (bool sha : {true, false}) {
    Config c;
    c.sha256 = sha;
    c.head_bytes = 4096;
    MemoryObject obj(wav, "audio/wav");
    Extracted x = Extract(c, obj.object());
    EXPECT_EQ(Str(x.attributes, "format"), "wav");
    EXPECT_EQ(Str(x.attributes, "audio.codec"), "pcm_s16le");
    EXPECT_FALSE(x.attributes.Has("error")) << Str(x.attributes, "error");
    EXPECT_EQ(x.attributes.Has("sha256"), sha);
  }
}

TEST(MetadataExtract, ExtractorsCanBeTurnedOff) {
  Config c;
  c.mime = c.sha256 = c.image = c.exif = c.media = c.pdf = c.text = false;
  MemoryObject obj(MakeImage(".png", 8, 8));
  Extracted x = Extract(c, obj.object());
  EXPECT_EQ(Str(x.attributes, "format"), "png");  // from the MIME type alone
  EXPECT_FALSE(x.attributes.Has("width"));
  EXPECT_FALSE(x.attributes.Has("mime"));
}

TEST(MetadataExtract, EmptyObject) {
  MemoryObject obj("", "text/plain");
  Extracted x = Extract(Config{}, obj.object());
  EXPECT_FALSE(Bool(x.attributes, "mime_mismatch"));
  EXPECT_EQ(Str(x.attributes, "sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace kumo::metadata
