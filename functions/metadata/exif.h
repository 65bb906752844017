// EXIF with libexif: camera, lens, time, exposure and GPS from an EXIF block (as libvips
// hands it, "Exif\0\0" + TIFF) or from a JPEG's first bytes (libexif finds the APP1
// segment). Thread-safe: each call has its own ExifData.
#ifndef KUMO_FUNCTIONS_METADATA_EXIF_H
#define KUMO_FUNCTIONS_METADATA_EXIF_H

#include <string_view>

#include "attributes.h"

namespace kumo::metadata {

// Sets what the block has of `orientation` (1-8), `exif.make`, `exif.model`,
// `exif.lens`, `exif.taken_at` (RFC 3339: DateTimeOriginal, else DateTime, with
// OffsetTimeOriginal/OffsetTime when present and "Z" when no offset is known — EXIF
// times are the camera's clock), `exif.exposure` (seconds), `exif.iso`,
// `exif.focal_length` (mm), `gps.lat`, `gps.lon` (degrees, negative south and west) and
// `gps.alt` (metres, negative below sea level). A block with no readable IFD adds an
// "exif" error.
void ReadExif(std::string_view data, Attributes& attrs);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_EXIF_H
