#include "sniff.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>

namespace kumo::metadata {
namespace {

struct MagicCloser {
  void operator()(magic_t m) const { magic_close(m); }
};
using Magic = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser>;

Magic OpenMagic(int flags) {
  Magic m(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR | flags));
  if (!m) throw std::runtime_error("magic_open failed");
  if (magic_load(m.get(), nullptr) != 0) {
    throw std::runtime_error(std::string("magic_load: ") + magic_error(m.get()));
  }
  return m;
}

std::string Ask(magic_t m, std::string_view data) {
  const char* r = magic_buffer(m, data.data(), data.size());
  return r != nullptr ? r : "application/octet-stream";
}

magic_t FullMagic() {
  thread_local Magic m = OpenMagic(0);
  return m.get();
}

magic_t NoSoftMagic() {
  thread_local Magic m = OpenMagic(MAGIC_NO_CHECK_SOFT);
  return m.get();
}

bool At(std::string_view data, size_t offset, std::string_view magic) {
  return data.size() >= offset + magic.size() && data.substr(offset, magic.size()) == magic;
}

// ISO base media (ftyp) major brands, as libmagic names them.
std::string_view FtypType(std::string_view brand) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kBrands{{
      {"isom", "video/mp4"},
      {"iso2", "video/mp4"},
      {"mp41", "video/mp4"},
      {"mp42", "video/mp4"},
      {"avc1", "video/mp4"},
      {"qt  ", "video/quicktime"},
      {"M4A ", "audio/x-m4a"},
      {"M4V ", "video/x-m4v"},
      {"heic", "image/heic"},
      {"heix", "image/heic"},
      {"mif1", "image/heif"},
      {"msf1", "image/heif-sequence"},
      {"avif", "image/avif"},
      {"3gp4", "video/3gpp"},
      {"3gp5", "video/3gpp"},
      {"3gp6", "video/3gpp"},
      {"hevc", "image/heic-sequence"},
  }};
  for (const auto& [b, type] : kBrands) {
    if (brand == b) return type;
  }
  return {};
}

// Step 1 of SniffMime: a signature that leaves no doubt; "" when there is none.
std::string_view Signature(std::string_view d) {
  if (At(d, 0, "\xff\xd8\xff")) return "image/jpeg";
  if (At(d, 0, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (At(d, 0, "GIF87a") || At(d, 0, "GIF89a")) return "image/gif";
  if (At(d, 0, "RIFF") && At(d, 8, "WEBPVP8")) return "image/webp";
  if (At(d, 0, "RIFF") && At(d, 8, "WAVEfmt ")) return "audio/x-wav";
  if (At(d, 0, "%PDF-")) return "application/pdf";
  if (At(d, 0, std::string_view("II*\0", 4)) || At(d, 0, std::string_view("MM\0*", 4))) {
    return "image/tiff";
  }
  if (At(d, 4, "ftyp") && d.size() >= 12) return FtypType(d.substr(8, 4));
  if (At(d, 0, "fLaC")) return "audio/flac";
  if (At(d, 0, "ID3") && d.size() > 3 && d[3] >= 2 && d[3] <= 4) return "audio/mpeg";
  if (At(d, 0, "\x1f\x8b")) return "application/gzip";
  if (At(d, 0,
         "\xfd"
         "7zXZ"))
    return "application/x-xz";
  if (At(d, 0, "BZh") && d.size() > 3 && d[3] >= '1' && d[3] <= '9') return "application/x-bzip2";
  if (At(d, 0, "7z\xbc\xaf\x27\x1c")) return "application/x-7z-compressed";
  if (At(d, 0, "\x28\xb5\x2f\xfd")) return "application/zstd";
  return {};
}

double Entropy(std::string_view d) {
  d = d.substr(0, 4096);
  std::array<uint32_t, 256> counts{};
  for (char c : d) ++counts[static_cast<unsigned char>(c)];
  double bits = 0;
  for (uint32_t n : counts) {
    if (n == 0) continue;
    double p = static_cast<double>(n) / d.size();
    bits -= p * std::log2(p);
  }
  return bits;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// Plain text refined by how it starts (libmagic does this with soft magic).
std::string_view RefineText(std::string_view d) {
  if (d.substr(0, 3) == "\xef\xbb\xbf") d.remove_prefix(3);
  size_t start = d.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "text/plain";
  d.remove_prefix(start);
  std::string_view first = d.substr(0, 1024);
  if (IStartsWith(d, "<!doctype html") || IStartsWith(d, "<html") || IStartsWith(d, "<head") ||
      IStartsWith(d, "<body")) {
    return "text/html";
  }
  if (IStartsWith(d, "<?xml") || IStartsWith(d, "<svg")) {
    return first.find("<svg") != std::string_view::npos ? "image/svg+xml" : "text/xml";
  }
  return "text/plain";
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
  if (std::string_view type = Signature(data); !type.empty()) return std::string(type);
  std::string basic = Ask(NoSoftMagic(), data);
  if (basic == "text/plain" && data.substr(0, 2) != "#!") return std::string(RefineText(data));
  // An MPEG audio frame sync (MP3, AAC ADTS) starts high-entropy data libmagic knows.
  bool frame_sync = data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0xff &&
                    (static_cast<unsigned char>(data[1]) & 0xe0) == 0xe0;
  if (basic == "application/octet-stream" && !frame_sync && data.size() >= 1024 &&
      Entropy(data) >= 7.5) {
    return basic;
  }
  if (basic != "text/plain" && basic != "application/octet-stream" &&
      basic != "application/CDFV2") {
    return basic;
  }
  return Ask(FullMagic(), data);
}

std::string SniffMimeWithLibmagic(std::string_view data) { return Ask(FullMagic(), data); }

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
