// Extract: runs the configured extractors over one object version and returns its
// attributes and full-text text. It reads the object once from its start, holding at
// most head_bytes in memory (a PDF up to pdf_max_bytes is held whole): the first 64 KiB
// for libmagic; more of the head only for image and text formats (none for a JPEG whose
// header ends within it); the rest only to hash it (sha256) or, through new Streams,
// for libavformat. Thread-safe: calls on different objects may run concurrently.
#ifndef KUMO_FUNCTIONS_METADATA_EXTRACT_H
#define KUMO_FUNCTIONS_METADATA_EXTRACT_H

#include <string>
#include <string_view>

#include "attributes.h"
#include "config.h"
#include "source.h"

namespace kumo::metadata {

struct Extracted {
  Attributes attributes;
  std::string text;  // for the full-text index; UTF-8
};

// A corrupt or truncated object yields what could be read plus the `error` attribute;
// only a failed read (the Streams' exceptions) or a libmagic/libvips start-up failure
// throws.
Extracted Extract(const Config& config, const Object& object);

// Whether the JPEG in head has its header up to the start of scan (SOS) within head.
bool JpegHeaderComplete(std::string_view head);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_EXTRACT_H
