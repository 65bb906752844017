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

std::string ReadImageHeader(std::string_view data, Attributes& attrs) {
  InitVips();
  t_vips_warnings.clear();
  const char* loader = vips_foreign_find_load_buffer(data.data(), data.size());
  if (loader == nullptr) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  // The loader's class name ("VipsForeignLoadJpegBuffer"); its nickname is "jpegload_buffer".
  const char* nickname = vips_nickname_find(g_type_from_name(loader));
  std::string_view name(nickname != nullptr ? nickname : "");
  if (std::find(kLoaders.begin(), kLoaders.end(), name) == kLoaders.end()) {
    return {};
  }
  std::unique_ptr<VipsImage, Unref> im(vips_image_new_from_buffer(
      data.data(), data.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
  if (!im) {
    attrs.AddError("image", TakeVipsError());
    return {};
  }
  std::string format(name.substr(0, name.find("load")));
  if (format == "heif") {
    const char* compression = nullptr;
    if (vips_image_get_typeof(im.get(), "heif-compression") != 0 &&
        vips_image_get_string(im.get(), "heif-compression", &compression) == 0 &&
        compression != nullptr && std::string_view(compression) == "av1") {
      format = "avif";
    }
  }
  attrs.Set("format", format);
  attrs.Set("width", int64_t{vips_image_get_width(im.get())});
  attrs.Set("height", int64_t{vips_image_get_height(im.get())});
  const char* space =
      vips_enum_nick(VIPS_TYPE_INTERPRETATION, vips_image_get_interpretation(im.get()));
  if (space != nullptr) attrs.Set("color_space", space);
  int orientation = 0;
  if (vips_image_get_typeof(im.get(), VIPS_META_ORIENTATION) != 0 &&
      vips_image_get_int(im.get(), VIPS_META_ORIENTATION, &orientation) == 0 && orientation >= 1 &&
      orientation <= 8) {
    attrs.Set("orientation", int64_t{orientation});
  }
  std::string exif;
  const void* blob = nullptr;
  size_t blob_size = 0;
  if (vips_image_get_typeof(im.get(), VIPS_META_EXIF_NAME) != 0 &&
      vips_image_get_blob(im.get(), VIPS_META_EXIF_NAME, &blob, &blob_size) == 0 &&
      blob != nullptr) {
    exif.assign(static_cast<const char*>(blob), blob_size);
  }
  return exif;
}

void CheckImageTrailer(std::string_view format, std::string_view tail, Attributes& attrs) {
  if (format == "jpeg" && tail.find("\xff\xd9") == std::string_view::npos) {
    attrs.AddError("image", "truncated JPEG: no EOI marker at the end");
  } else if (format == "png" && tail.find("IEND") == std::string_view::npos) {
    attrs.AddError("image", "truncated PNG: no IEND chunk at the end");
  }
}

}  // namespace kumo::metadata
