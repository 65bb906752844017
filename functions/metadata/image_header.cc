#include "image_header.h"

#include <vips/vips.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace kumo::metadata {
namespace {

thread_local std::string t_vips_warnings;

void CaptureLog(const gchar*, GLogLevelFlags, const gchar* message, gpointer) {
  if (message != nullptr && t_vips_warnings.size() < 1024) {
    if (!t_vips_warnings.empty()) t_vips_warnings += "; ";
    t_vips_warnings += message;
  }
}

// The messages libvips left for this call, trimmed, one line.
std::string TakeVipsError() {
  char* buf = vips_error_buffer_copy();
  std::string out = buf != nullptr ? buf : "";
  g_free(buf);
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = t_vips_warnings;
  if (out.empty()) out = "unreadable image header";
  return out;
}

constexpr std::array<std::string_view, 7> kLoaders{
    "jpegload_buffer", "pngload_buffer",  "webpload_buffer", "gifload_buffer",
    "tiffload_buffer", "heifload_buffer", "jxlload_buffer"};

struct Unref {
  void operator()(VipsImage* im) const { g_object_unref(im); }
};

}  // namespace

void InitVips() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    if (VIPS_INIT("kumo-metadata") != 0) {
      char* buf = vips_error_buffer_copy();
      failure = std::string("libvips failed to start: ") + (buf != nullptr ? buf : "");
      g_free(buf);
      return;
    }
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    g_log_set_handler(
        "VIPS",
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION),
        &CaptureLog, nullptr);
  });
  if (!failure.empty()) throw std::runtime_error(failure);
}

namespace {

// Whether a loader ("jpegload_buffer", "tiffload_source") is one of kLoaders.
bool Allowed(std::string_view nickname) {
  std::string_view base = nickname.substr(0, nickname.find('_'));
  return std::find_if(kLoaders.begin(), kLoaders.end(), [&](std::string_view l) {
           return l.substr(0, l.find('_')) == base;
         }) != kLoaders.end();
}

// The loader's class name ("VipsForeignLoadJpegBuffer") to its nickname ("jpegload_buffer").
std::string_view Nickname(const char* loader) {
  const char* nickname = loader != nullptr ? vips_nickname_find(g_type_from_name(loader)) : nullptr;
  return nickname != nullptr ? nickname : "";
}

// Sets the attributes of a loaded header; returns its EXIF block.
std::string Describe(VipsImage* im, std::string_view loader, Attributes& attrs) {
  std::string format(loader.substr(0, loader.find("load")));
  if (format == "heif") {
    const char* compression = nullptr;
    if (vips_image_get_typeof(im, "heif-compression") != 0 &&
        vips_image_get_string(im, "heif-compression", &compression) == 0 &&
        compression != nullptr && std::string_view(compression) == "av1") {
      format = "avif";
    }
  }
  attrs.Set("format", format);
  attrs.Set("width", int64_t{vips_image_get_width(im)});
  attrs.Set("height", int64_t{vips_image_get_height(im)});
  const char* space = vips_enum_nick(VIPS_TYPE_INTERPRETATION, vips_image_get_interpretation(im));
  if (space != nullptr) attrs.Set("color_space", space);
  int orientation = 0;
  if (vips_image_get_typeof(im, VIPS_META_ORIENTATION) != 0 &&
      vips_image_get_int(im, VIPS_META_ORIENTATION, &orientation) == 0 && orientation >= 1 &&
      orientation <= 8) {
    attrs.Set("orientation", int64_t{orientation});
  }
  std::string exif;
  const void* blob = nullptr;
  size_t blob_size = 0;
  if (vips_image_get_typeof(im, VIPS_META_EXIF_NAME) != 0 &&
      vips_image_get_blob(im, VIPS_META_EXIF_NAME, &blob, &blob_size) == 0 && blob != nullptr) {
    exif.assign(static_cast<const char*>(blob), blob_size);
  }
  return exif;
}

gint64 SourceRead(VipsSourceCustom*, void* buffer, gint64 length, gpointer input) {
  return length <= 0 ? 0
                     : static_cast<RandomAccess*>(input)->Read(buffer, static_cast<size_t>(length));
}

gint64 SourceSeek(VipsSourceCustom*, gint64 offset, int whence, gpointer input) {
  return static_cast<RandomAccess*>(input)->Seek(offset, whence);
}

// The header through a VipsSource over the whole object (random access).
std::string FromSource(const Object& object, std::string_view head, Attributes& attrs) {
  RandomAccess input(object, head);
  std::unique_ptr<VipsSourceCustom, decltype(&g_object_unref)> source(vips_source_custom_new(),
                                                                      &g_object_unref);
  g_signal_connect(source.get(), "read", G_CALLBACK(&SourceRead), &input);
  g_signal_connect(source.get(), "seek", G_CALLBACK(&SourceSeek), &input);
  std::string_view loader = Nickname(vips_foreign_find_load_source(VIPS_SOURCE(source.get())));
  input.RethrowIfFailed();
  if (loader.empty()) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  if (!Allowed(loader)) return {};
  std::unique_ptr<VipsImage, Unref> im(vips_image_new_from_source(
      VIPS_SOURCE(source.get()), "", "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
  input.RethrowIfFailed();
  if (!im) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  return Describe(im.get(), loader.substr(0, loader.find("_source")), attrs);
}

}  // namespace

std::string ReadImageHeader(std::string_view data, Attributes& attrs) {
  InitVips();
  t_vips_warnings.clear();
  std::string_view loader = Nickname(vips_foreign_find_load_buffer(data.data(), data.size()));
  if (loader.empty()) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  if (!Allowed(loader)) return {};
  std::unique_ptr<VipsImage, Unref> im(vips_image_new_from_buffer(
      data.data(), data.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
  if (!im) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  return Describe(im.get(), loader, attrs);
}

std::string ReadImageHeader(const Object& object, std::string_view head, Attributes& attrs) {
  if (head.size() >= object.size) return ReadImageHeader(head, attrs);
  InitVips();
  t_vips_warnings.clear();
  // JPEG, PNG and GIF headers come first: the head is enough. TIFF (its IFD may follow
  // the pixels), HEIF/AVIF (iloc extents) and WebP (libwebp checks the RIFF size) need
  // the object's own size and random access.
  std::string_view loader = Nickname(vips_foreign_find_load_buffer(head.data(), head.size()));
  if (loader == "jpegload_buffer" || loader == "pngload_buffer" || loader == "gifload_buffer") {
    return ReadImageHeader(head, attrs);
  }
  g_free(vips_error_buffer_copy());  // drop the buffer sniff's complaint about the cut head
  return FromSource(object, head, attrs);
}

void CheckImageTrailer(std::string_view format, std::string_view tail, Attributes& attrs) {
  if (format == "jpeg" && tail.find("\xff\xd9") == std::string_view::npos) {
    attrs.AddError("image", "truncated JPEG: no EOI marker at the end");
  } else if (format == "png" && tail.find("IEND") == std::string_view::npos) {
    attrs.AddError("image", "truncated PNG: no IEND chunk at the end");
  }
}

}  // namespace kumo::metadata
