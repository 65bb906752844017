#include "sniff.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <utility>

namespace kumo::metadata {
namespace {

struct MagicCloser {
  void operator()(magic_t m) const { magic_close(m); }
};

magic_t ThreadMagic() {
  thread_local std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser> cookie;
  if (!cookie) {
    std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser> m(
        magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR));
    if (!m) throw std::runtime_error("magic_open failed");
    if (magic_load(m.get(), nullptr) != 0) {
      throw std::runtime_error(std::string("magic_load: ") + magic_error(m.get()));
    }
    cookie = std::move(m);
  }
  return cookie.get();
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kAliases{{
    {"image/jpg", "image/jpeg"},
    {"image/pjpeg", "image/jpeg"},
    {"image/x-png", "image/png"},
    {"image/x-ms-bmp", "image/bmp"},
    {"image/heic", "image/heif"},
    {"image/heic-sequence", "image/heif"},
    {"image/heif-sequence", "image/heif"},
    {"application/x-pdf", "application/pdf"},
    {"audio/x-wav", "audio/wav"},
    {"audio/wave", "audio/wav"},
    {"audio/vnd.wave", "audio/wav"},
    {"audio/mp3", "audio/mpeg"},
    {"audio/x-mpeg", "audio/mpeg"},
    {"audio/x-flac", "audio/flac"},
    {"audio/x-m4a", "audio/mp4"},
    {"video/x-m4v", "video/mp4"},
    {"application/x-gzip", "application/gzip"},
    {"application/x-zip-compressed", "application/zip"},
    {"application/x-javascript", "text/javascript"},
    {"application/javascript", "text/javascript"},
    {"text/xml", "application/xml"},
    {"application/x-json", "application/json"},
}};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view Subtype(std::string_view mime) {
  size_t slash = mime.find('/');
  return slash == std::string_view::npos ? std::string_view() : mime.substr(slash + 1);
}

bool ZipBased(std::string_view m) {
  return EndsWith(m, "+zip") || StartsWith(m, "application/vnd.openxmlformats-") ||
         StartsWith(m, "application/vnd.oasis.opendocument.") || m == "application/java-archive" ||
         m == "application/vnd.android.package-archive";
}

}  // namespace

std::string SniffMime(std::string_view data) {
  magic_t m = ThreadMagic();
  const char* r = magic_buffer(m, data.data(), data.size());
  if (r == nullptr) return "application/octet-stream";
  return r;
}

std::string NormalizeMime(std::string_view mime) {
  mime = mime.substr(0, mime.find(';'));
  std::string out;
  for (char c : mime) {
    if (c != ' ' && c != '\t') out.push_back(static_cast<char>(std::tolower(c)));
  }
  for (const auto& [alias, name] : kAliases) {
    if (out == alias) return std::string(name);
  }
  return out;
}

bool IsTextLike(std::string_view m) {
  static constexpr std::array<std::string_view, 14> kText{
      "application/json",    "application/xml",         "application/x-yaml",
      "application/yaml",    "application/toml",        "application/csv",
      "application/x-sh",    "application/x-ndjson",    "application/sql",
      "application/graphql", "application/x-httpd-php", "application/ecmascript",
      "application/x-tex",   "application/rtf"};
  return StartsWith(m, "text/") || EndsWith(m, "+xml") || EndsWith(m, "+json") ||
         std::find(kText.begin(), kText.end(), m) != kText.end();
}

bool MimeMismatch(std::string_view claimed_raw, std::string_view sniffed_raw) {
  std::string claimed = NormalizeMime(claimed_raw);
  std::string sniffed = NormalizeMime(sniffed_raw);
  if (claimed.empty() || claimed == "application/octet-stream" ||
      claimed == "binary/octet-stream") {
    return false;
  }
  if (sniffed.empty() || sniffed == "application/octet-stream" ||
      sniffed == "application/x-empty" || sniffed == "inode/x-empty") {
    return false;
  }
  if (claimed == sniffed) return false;
  if (IsTextLike(claimed) && IsTextLike(sniffed)) return false;
  bool av = [](std::string_view a, std::string_view b) {
    auto is_av = [](std::string_view m) {
      return StartsWith(m, "audio/") || StartsWith(m, "video/") || m == "application/ogg";
    };
    return is_av(a) && is_av(b);
  }(claimed, sniffed);
  if (av) {
    std::string_view c = claimed == "application/ogg" ? "ogg" : Subtype(claimed);
    std::string_view s = sniffed == "application/ogg" ? "ogg" : Subtype(sniffed);
    if (c == s) return false;
  }
  if (sniffed == "application/zip" && ZipBased(claimed)) return false;
  return true;
}

std::string FormatOfMime(std::string_view m) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kFormats{{
      {"image/jpeg", "jpeg"},   {"image/png", "png"},         {"image/webp", "webp"},
      {"image/gif", "gif"},     {"image/tiff", "tiff"},       {"image/heif", "heif"},
      {"image/avif", "avif"},   {"image/jxl", "jxl"},         {"image/bmp", "bmp"},
      {"image/svg+xml", "svg"}, {"application/pdf", "pdf"},   {"video/mp4", "mp4"},
      {"audio/mp4", "m4a"},     {"video/quicktime", "mov"},   {"video/webm", "webm"},
      {"audio/webm", "webm"},   {"video/x-matroska", "mkv"},  {"video/x-msvideo", "avi"},
      {"video/mpeg", "mpeg"},   {"video/mp2t", "mpegts"},     {"audio/wav", "wav"},
      {"audio/mpeg", "mp3"},    {"audio/flac", "flac"},       {"audio/ogg", "ogg"},
      {"video/ogg", "ogg"},     {"application/ogg", "ogg"},   {"video/3gpp", "3gp"},
      {"audio/x-aiff", "aiff"}, {"application/json", "json"}, {"text/csv", "csv"},
  }};
  for (const auto& [mime, format] : kFormats) {
    if (m == mime) return std::string(format);
  }
  return {};
}

}  // namespace kumo::metadata
