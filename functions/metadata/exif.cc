#include "exif.h"

#include <libexif/exif-data.h>
#include <libexif/exif-log.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace kumo::metadata {
namespace {

struct DataUnref {
  void operator()(ExifData* d) const { exif_data_unref(d); }
};
struct LogUnref {
  void operator()(ExifLog* l) const { exif_log_unref(l); }
};

void CaptureLog(ExifLog*, ExifLogCode code, const char* domain, const char* format, va_list args,
                void* data) {
  auto* first = static_cast<std::string*>(data);
  if (!first->empty() || code == EXIF_LOG_CODE_DEBUG) return;
  char buf[256];
  std::vsnprintf(buf, sizeof(buf), format, args);
  *first = std::string(domain != nullptr ? domain : "libexif") + ": " + buf;
}

class Reader {
 public:
  explicit Reader(ExifData* d) : d_(d), order_(exif_data_get_byte_order(d)) {}

  ExifEntry* Entry(ExifIfd ifd, ExifTag tag) const {
    return d_->ifd[ifd] != nullptr ? exif_content_get_entry(d_->ifd[ifd], tag) : nullptr;
  }

  std::string Ascii(ExifIfd ifd, ExifTag tag) const {
    ExifEntry* e = Entry(ifd, tag);
    if (e == nullptr || e->format != EXIF_FORMAT_ASCII || e->data == nullptr) return {};
    std::string s(reinterpret_cast<const char*>(e->data), e->size);
    s = s.substr(0, s.find('\0'));
    size_t end = s.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? std::string() : s.substr(0, end + 1);
  }

  std::optional<double> Rational(ExifIfd ifd, ExifTag tag, unsigned index = 0) const {
    ExifEntry* e = Entry(ifd, tag);
    if (e == nullptr || e->format != EXIF_FORMAT_RATIONAL || e->components <= index ||
        e->size < 8 * (index + 1)) {
      return std::nullopt;
    }
    ExifRational r = exif_get_rational(e->data + 8 * index, order_);
    if (r.denominator == 0) return std::nullopt;
    return static_cast<double>(r.numerator) / r.denominator;
  }

  std::optional<int64_t> Integer(ExifIfd ifd, ExifTag tag) const {
    ExifEntry* e = Entry(ifd, tag);
    if (e == nullptr || e->components == 0 || e->data == nullptr) return std::nullopt;
    switch (e->format) {
      case EXIF_FORMAT_SHORT:
        if (e->size >= 2) return exif_get_short(e->data, order_);
        break;
      case EXIF_FORMAT_LONG:
        if (e->size >= 4) return exif_get_long(e->data, order_);
        break;
      case EXIF_FORMAT_BYTE:
        return e->data[0];
      default:
        break;
    }
    return std::nullopt;
  }

  // Degrees from the three rationals of a GPS coordinate, negative when ref is neg_ref.
  std::optional<double> Coordinate(ExifTag tag, ExifTag ref_tag, char neg_ref) const {
    auto deg = Rational(EXIF_IFD_GPS, tag, 0);
    if (!deg) return std::nullopt;
    double v = *deg + Rational(EXIF_IFD_GPS, tag, 1).value_or(0) / 60 +
               Rational(EXIF_IFD_GPS, tag, 2).value_or(0) / 3600;
    std::string ref = Ascii(EXIF_IFD_GPS, ref_tag);
    return !ref.empty() && (ref[0] == neg_ref || ref[0] == neg_ref + 32) ? -v : v;
  }

 private:
  ExifData* d_;
  ExifByteOrder order_;
};

// "2024:05:01 10:20:30" (+ "+02:00") -> "2024-05-01T10:20:30+02:00"; "" if malformed.
std::string Rfc3339(const std::string& exif_time, const std::string& offset) {
  int y, mo, d, h, mi, s;
  if (exif_time.size() < 19 ||
      std::sscanf(exif_time.c_str(), "%4d:%2d:%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 ||
      y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return {};
  }
  bool valid_offset =
      offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && offset[3] == ':';
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, s,
                valid_offset ? offset.c_str() : "Z");
  return buf;
}

}  // namespace

void ReadExif(std::string_view data, Attributes& attrs) {
  std::unique_ptr<ExifData, DataUnref> d(exif_data_new());
  std::unique_ptr<ExifLog, LogUnref> log(exif_log_new());
  if (!d || !log) {
    attrs.AddError("exif", "out of memory");
    return;
  }
  std::string first_message;
  exif_log_set_func(log.get(), &CaptureLog, &first_message);
  exif_data_log(d.get(), log.get());
  // Read what is there; do not add the entries the specification requires.
  exif_data_unset_option(d.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(d.get(), reinterpret_cast<const unsigned char*>(data.data()),
                      static_cast<unsigned int>(data.size()));
  if (d->ifd[EXIF_IFD_0] == nullptr || d->ifd[EXIF_IFD_0]->count == 0) {
    attrs.AddError("exif", first_message.empty() ? "no readable EXIF IFD" : first_message);
    return;
  }
  Reader r(d.get());
  if (auto o = r.Integer(EXIF_IFD_0, EXIF_TAG_ORIENTATION); o && *o >= 1 && *o <= 8) {
    attrs.Set("orientation", *o);
  }
  attrs.SetNonEmpty("exif.make", r.Ascii(EXIF_IFD_0, EXIF_TAG_MAKE));
  attrs.SetNonEmpty("exif.model", r.Ascii(EXIF_IFD_0, EXIF_TAG_MODEL));
  attrs.SetNonEmpty("exif.lens", r.Ascii(EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL));
  std::string taken = Rfc3339(r.Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL),
                              r.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL));
  if (taken.empty()) {
    taken = Rfc3339(r.Ascii(EXIF_IFD_0, EXIF_TAG_DATE_TIME),
                    r.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME));
  }
  attrs.SetNonEmpty("exif.taken_at", taken);
  if (auto v = r.Rational(EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME)) attrs.Set("exif.exposure", *v);
  if (auto v = r.Integer(EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS)) attrs.Set("exif.iso", *v);
  if (auto v = r.Rational(EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH)) {
    attrs.Set("exif.focal_length", *v);
  }
  if (auto lat = r.Coordinate(static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE),
                              static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), 'S')) {
    attrs.Set("gps.lat", *lat);
  }
  if (auto lon = r.Coordinate(static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE),
                              static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), 'W')) {
    attrs.Set("gps.lon", *lon);
  }
  if (auto alt = r.Rational(EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE))) {
    auto ref = r.Integer(EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE_REF));
    attrs.Set("gps.alt", ref && *ref == 1 ? -*alt : *alt);
  }
}

}  // namespace kumo::metadata
