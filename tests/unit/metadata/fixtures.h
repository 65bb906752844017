// Test fixtures for the metadata extractors, made at test time: images with libvips
// (writing is fine in tests; the extractors never write), EXIF blocks with libexif,
// audio and video with the ffmpeg CLI (a test dependency), a PDF by hand.
#ifndef KUMO_TESTS_UNIT_METADATA_FIXTURES_H
#define KUMO_TESTS_UNIT_METADATA_FIXTURES_H

#include <libexif/exif-data.h>
#include <vips/vips.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "image_header.h"
#include "source.h"

namespace kumo::metadata::testing {

// An object in memory that counts its opens and the bytes read from it.
class MemoryObject {
 public:
  explicit MemoryObject(std::string data, std::string content_type = {})
      : data_(std::move(data)), content_type_(std::move(content_type)) {}

  Object object() {
    Object o;
    o.size = data_.size();
    o.content_type = content_type_;
    o.open = [this] {
      ++opens_;
      return std::make_unique<Counting>(data_, &bytes_read_);
    };
    return o;
  }
  int opens() const { return opens_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  class Counting : public Stream {
   public:
    Counting(std::string_view data, uint64_t* counter) : inner_(data), counter_(counter) {}
    size_t Read(void* buffer, size_t capacity) override {
      size_t n = inner_.Read(buffer, capacity);
      *counter_ += n;
      return n;
    }

   private:
    MemoryStream inner_;
    uint64_t* counter_;
  };

  std::string data_;
  std::string content_type_;
  int opens_ = 0;
  uint64_t bytes_read_ = 0;
};

// An sRGB test image of width x height saved by libvips with suffix (".png", ".jpg[Q=80]",
// ".webp", ".gif", ".tif", ".avif", ".heic").
inline std::string MakeImage(const char* suffix, int width, int height) {
  InitVips();
  VipsImage* noise = nullptr;
  VipsImage* cast = nullptr;
  VipsImage* srgb = nullptr;
  void* buf = nullptr;
  size_t len = 0;
  bool ok = vips_gaussnoise(&noise, width, height, "mean", 128.0, "sigma", 30.0, nullptr) == 0 &&
            vips_cast(noise, &cast, VIPS_FORMAT_UCHAR, nullptr) == 0;
  if (ok) {
    VipsImage* bands[3] = {cast, cast, cast};
    VipsImage* joined = nullptr;
    ok = vips_bandjoin(bands, &joined, 3, nullptr) == 0 &&
         vips_copy(joined, &srgb, "interpretation", VIPS_INTERPRETATION_sRGB, nullptr) == 0 &&
         vips_image_write_to_buffer(srgb, suffix, &buf, &len, nullptr) == 0;
    if (joined != nullptr) g_object_unref(joined);
  }
  for (VipsImage* im : {noise, cast, srgb}) {
    if (im != nullptr) g_object_unref(im);
  }
  if (!ok) throw std::runtime_error(std::string("libvips: ") + vips_error_buffer());
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

// Builds an EXIF block ("Exif\0\0" + TIFF) entry by entry.
class ExifBuilder {
 public:
  ExifBuilder() : d_(exif_data_new()) {
    exif_data_set_byte_order(d_, EXIF_BYTE_ORDER_INTEL);
    exif_data_unset_option(d_, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  }
  ~ExifBuilder() { exif_data_unref(d_); }

  ExifBuilder& Ascii(ExifIfd ifd, int tag, const std::string& value) {
    ExifEntry* e = Add(ifd, tag, EXIF_FORMAT_ASCII, value.size() + 1);
    std::memcpy(e->data, value.c_str(), value.size() + 1);
    return *this;
  }
  ExifBuilder& Short(ExifIfd ifd, int tag, uint16_t value) {
    exif_set_short(Add(ifd, tag, EXIF_FORMAT_SHORT, 1)->data, EXIF_BYTE_ORDER_INTEL, value);
    return *this;
  }
  ExifBuilder& Byte(ExifIfd ifd, int tag, uint8_t value) {
    Add(ifd, tag, EXIF_FORMAT_BYTE, 1)->data[0] = value;
    return *this;
  }
  ExifBuilder& Rationals(ExifIfd ifd, int tag, std::vector<std::pair<uint32_t, uint32_t>> v) {
    ExifEntry* e = Add(ifd, tag, EXIF_FORMAT_RATIONAL, v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, {v[i].first, v[i].second});
    }
    return *this;
  }
  std::string Block() {
    unsigned char* buf = nullptr;
    unsigned int len = 0;
    exif_data_save_data(d_, &buf, &len);
    std::string out(reinterpret_cast<char*>(buf), len);
    std::free(buf);
    return out;
  }

 private:
  ExifEntry* Add(ExifIfd ifd, int tag, ExifFormat format, size_t components) {
    ExifEntry* e = exif_entry_new();
    e->tag = static_cast<ExifTag>(tag);
    e->format = format;
    e->components = components;
    e->size = exif_format_get_size(format) * components;
    e->data = static_cast<unsigned char*>(std::calloc(1, e->size));
    exif_content_add_entry(d_->ifd[ifd], e);
    exif_entry_unref(e);
    return e;  // owned by the IFD now
  }

  ExifData* d_;
};

// The JPEG with an APP1 segment holding exif inserted after SOI.
inline std::string WithExif(const std::string& jpeg, const std::string& exif) {
  size_t len = exif.size() + 2;
  std::string app1 = "\xff\xe1";
  app1.push_back(static_cast<char>(len >> 8));
  app1.push_back(static_cast<char>(len & 0xff));
  return jpeg.substr(0, 2) + app1 + exif + jpeg.substr(2);
}

inline std::filesystem::path TempDir() {
  static std::filesystem::path dir = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kumo-metadata-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return std::filesystem::path(tmpl);
  }();
  return dir;
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs the ffmpeg CLI (KUMO_FFMPEG) with args, writing name in TempDir(); its bytes.
inline std::string Ffmpeg(const std::string& args, const std::string& name) {
  std::filesystem::path out = TempDir() / name;
  std::string cmd = std::string(KUMO_FFMPEG) + " -v error -nostdin -y " + args + " " + out.string();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("ffmpeg failed: " + cmd);
  return ReadFile(out);
}

// A PDF with one page per text (Helvetica, one line each) and an Info dictionary.
inline std::string MakePdf(const std::vector<std::string>& pages, const std::string& title,
                           const std::string& author, const std::string& created) {
  std::vector<std::string> objects;
  size_t n = pages.size();
  // 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs.
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (size_t i = 0; i < n; ++i) kids += std::to_string(5 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  objects.push_back("<< /Title (" + title + ") /Author (" + author + ") /CreationDate (" + created +
                    ") >>");
  for (size_t i = 0; i < n; ++i) {
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
        "<< /F1 3 0 R >> >> /Contents " +
        std::to_string(6 + 2 * i) + " 0 R >>");
    std::string stream = "BT /F1 24 Tf 72 700 Td (" + pages[i] + ") Tj ET";
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
                      "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof(line), "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace kumo::metadata::testing

#endif  // KUMO_TESTS_UNIT_METADATA_FIXTURES_H
