// Text-like objects (text/*, JSON, XML, CSV, Markdown, HTML, ...): the full-text text,
// JSON top-level keys, CSV header columns. Pure functions over bytes; thread-safe.
#ifndef KUMO_FUNCTIONS_METADATA_TEXT_H
#define KUMO_FUNCTIONS_METADATA_TEXT_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "attributes.h"

namespace kumo::metadata {

// At most limit bytes of the UTF-8 s, cut at a character boundary.
std::string TruncateUtf8(std::string_view s, size_t limit);

// s as UTF-8: unchanged when it is UTF-8 (an incomplete character at its very end, as
// when s is an object's first bytes, is dropped), else read as Latin-1 and converted.
// NUL bytes are dropped.
std::string ToUtf8(std::string_view s);

// The text of an HTML document: tags and comments removed, <script> and <style>
// contents dropped, the common entities decoded, runs of blanks collapsed.
std::string StripHtml(std::string_view html);

// The keys of the top-level object of a JSON document, in order, read by a scanner that
// tolerates a truncated document (the object's first bytes). Empty when it is not an
// object.
std::vector<std::string> JsonTopLevelKeys(std::string_view json);

// The columns of a CSV header line (RFC 4180 quoting; ',' or, when the line has none,
// ';' or tab; tab for TSV).
std::vector<std::string> CsvColumns(std::string_view csv, bool tsv = false);

// For a text-like object whose first bytes are head: sets `json.keys` or `csv.columns`
// and returns its full-text text (at most limit bytes, UTF-8). sniffed and claimed are
// the normalized MIME types (sniffed decides; a sniffed text/plain defers to a
// text-like claim, e.g. text/markdown or text/csv).
std::string ReadText(std::string_view head, std::string_view sniffed, std::string_view claimed,
                     size_t limit, Attributes& attrs);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_TEXT_H
