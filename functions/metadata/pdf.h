// PDF with poppler-cpp, from the whole file in memory (poppler needs random access; the
// caller reads PDFs up to pdf_max_bytes). Thread-safe: poppler's error messages are
// routed to the calling thread's capture; each call has its own document.
#ifndef KUMO_FUNCTIONS_METADATA_PDF_H
#define KUMO_FUNCTIONS_METADATA_PDF_H

#include <cstddef>
#include <string>
#include <string_view>

#include "attributes.h"

namespace kumo::metadata {

// Sets `pages`, `title`, `author` and `created` (RFC 3339, UTC) from data, and returns
// the UTF-8 text of the first text_pages pages (pages separated by "\n"), at most
// text_limit bytes. A file poppler cannot open (or an encrypted one) adds a "pdf"
// error.
std::string ReadPdf(std::string_view data, unsigned text_pages, size_t text_limit,
                    Attributes& attrs);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_PDF_H
