#include "extract.h"

#include <algorithm>

#include "exif.h"
#include "image_header.h"
#include "media.h"
#include "pdf.h"
#include "sha256.h"
#include "sniff.h"
#include "text.h"

namespace kumo::metadata {
namespace {

constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kTail = 64;

enum class Kind { kOther, kImage, kMedia, kPdf, kText };

Kind Classify(std::string_view mime) {
  if (mime == "application/pdf") return Kind::kPdf;
  if (IsTextLike(mime)) return Kind::kText;
  if (mime.substr(0, 6) == "image/") return Kind::kImage;
  if (mime.substr(0, 6) == "audio/" || mime.substr(0, 6) == "video/" || mime == "application/ogg" ||
      mime == "application/mxf") {
    return Kind::kMedia;
  }
  return Kind::kOther;
}

}  // namespace

bool JpegHeaderComplete(std::string_view head) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
  size_t i = 2;
  while (i + 4 <= head.size()) {
    if (byte(i) != 0xff) return false;
    unsigned char marker = byte(i + 1);
    if (marker == 0xff) {
      ++i;
      continue;
    }
    if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    size_t length = (size_t{byte(i + 2)} << 8) | byte(i + 3);
    if (marker == 0xda) return i + 2 + length <= head.size();
    i += 2 + length;
  }
  return false;
}

Extracted Extract(const Config& config, const Object& object) {
  Extracted out;
  Attributes& a = out.attributes;
  std::unique_ptr<Stream> s = object.open();
  const size_t head_limit = static_cast<size_t>(std::min<uint64_t>(config.head_bytes, object.size));
  std::string head;
  bool ended = !ReadUpTo(*s, head, std::min(head_limit, kSniffBytes));

  const std::string sniffed = SniffMime(head);
  const std::string mime = NormalizeMime(sniffed);
  const std::string claimed = NormalizeMime(object.content_type);
  if (config.mime) {
    a.Set("mime", sniffed);
    a.Set("mime_mismatch", MimeMismatch(object.content_type, sniffed));
  }
  const Kind kind = Classify(mime);
  const bool image = (config.image || config.exif) && kind == Kind::kImage;
  const bool text = config.text && kind == Kind::kText;
  const bool pdf = config.pdf && kind == Kind::kPdf && object.size <= config.pdf_max_bytes;
  const bool media = config.media && kind == Kind::kMedia;
  const bool jpeg_done = mime == "image/jpeg" && JpegHeaderComplete(head);
  if (!ended && ((image && !jpeg_done) || text)) ended = !ReadUpTo(*s, head, head_limit);
  if (!ended && pdf) ended = !ReadUpTo(*s, head, static_cast<size_t>(object.size));
  const bool whole = ended || head.size() >= object.size;

  std::string format;
  if (image) {
    Attributes scratch;
    Attributes& target = config.image ? a : scratch;
    std::string exif = ReadImageHeader(object, head, target);
    if (auto f = target.Get("format")) format = std::get<std::string>(*f);
    if (config.exif) {
      if (!exif.empty()) {
        ReadExif(exif, a);
      } else if (mime == "image/jpeg" &&
                 head.substr(0, kSniffBytes).find(std::string_view("Exif\0\0", 6)) !=
                     std::string::npos) {
        ReadExif(head, a);  // libvips could not read the header; libexif finds APP1 itself
      }
    }
    if (config.image && whole) {
      CheckImageTrailer(
          format, std::string_view(head).substr(head.size() - std::min(head.size(), kTail)), a);
    }
  }
  if (text) out.text = ReadText(head, mime, claimed, size_t{config.text_limit_kib} * 1024, a);
  if (pdf) {
    out.text = ReadPdf(head, config.pdf_text_pages, size_t{config.text_limit_kib} * 1024, a);
  }

  const bool sha = config.sha256 && object.size <= config.sha256_max_bytes;
  if (media && !sha) ReadMedia(object, head, FormatOfMime(mime), whole ? nullptr : std::move(s), a);
  if (sha) {
    Sha256 h;
    h.Update(head);
    if (!whole) {
      std::string buf(256 * 1024, '\0');
      std::string tail;
      for (size_t n; (n = s->Read(buf.data(), buf.size())) > 0;) {
        h.Update(std::string_view(buf.data(), n));
        if (n >= kTail) {
          tail.assign(buf.data() + n - kTail, kTail);
        } else {
          tail.append(buf.data(), n);
          if (tail.size() > kTail) tail.erase(0, tail.size() - kTail);
        }
      }
      if (image && config.image) {
        CheckImageTrailer(format, tail, a);
      }
    }
    a.Set("sha256", h.HexDigest());
    if (media) ReadMedia(object, head, FormatOfMime(mime), nullptr, a);
  }
  a.SetDefault("format", FormatOfMime(mime));
  return out;
}

}  // namespace kumo::metadata
