// Image headers with libvips: the header is loaded from the bytes in memory (an object's
// first head_bytes), lazily and with sequential access, and no pixel is ever decoded or
// written. Only the loaders for jpeg, png, webp, gif, tiff, heif/avif and jxl are used
// (never pdf, svg or ImageMagick, which would render). libvips' warnings are captured per
// thread and its error buffer is copied and cleared atomically per call, so concurrent
// calls on different threads are safe.
#ifndef KUMO_FUNCTIONS_METADATA_IMAGE_HEADER_H
#define KUMO_FUNCTIONS_METADATA_IMAGE_HEADER_H

#include <string>
#include <string_view>

#include "attributes.h"
#include "source.h"

namespace kumo::metadata {

// Starts libvips once per process (std::call_once): VIPS_INIT, no operation cache, one
// worker thread, warnings routed to the calling thread's capture. Throws
// std::runtime_error when libvips cannot start.
void InitVips();

// Reads the header of the image in data and sets `format`, `width`, `height`,
// `color_space` (libvips' interpretation, e.g. "srgb", "b-w", "cmyk") and, when libvips
// found one, `orientation`. Returns the EXIF block libvips found ("Exif\0\0..."), or ""
// when there is none. A data that libvips cannot read adds an "image" error; a format
// the allowed loaders do not cover sets nothing.
std::string ReadImageHeader(std::string_view data, Attributes& attrs);

// The same for an object of which head is the first bytes: from head alone for JPEG,
// PNG and GIF (their headers come first) or when head is the whole object; else (TIFF,
// HEIF/AVIF, WebP, JXL) through a VipsSource with random access over the object
// (RandomAccess: a TIFF whose IFD follows its pixels costs one streamed read to it).
// Throws what the object's Streams throw.
std::string ReadImageHeader(const Object& object, std::string_view head, Attributes& attrs);

// For an object read to its end: adds an "image" error when the last bytes (tail) show
// the file is truncated (a JPEG without its EOI marker, a PNG without IEND).
void CheckImageTrailer(std::string_view format, std::string_view tail, Attributes& attrs);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_IMAGE_HEADER_H
