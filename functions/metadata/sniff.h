// Content sniffing with libmagic (MAGIC_MIME_TYPE, compressed files not looked into),
// and the rules comparing its answer with the Content-Type the client claimed.
// libmagic's soft magic (its database of a few thousand tests) costs 0.3-5 ms a call,
// more than the rest of the function for a small object, so SniffMime asks it last:
//   1. a signature at the start that names the type unambiguously (JPEG, PNG, GIF, WebP,
//      TIFF, PDF, WAV, ISO media ftyp brands, FLAC, ID3, gzip, xz, bzip2, 7z, zstd), answered
//      with libmagic's own name for it (the unit tests check that);
//   2. libmagic without soft magic (encoding, JSON, CSV, tar, ELF, CDF; ~40 us): plain
//      text is refined by its first tag (HTML, XML, SVG); a script (#!) and anything
//      binary go on to 3, except high-entropy data (>= 7.5 bits/byte over the first
//      4 KiB: encrypted or compressed without a known header) that does not start with
//      an MPEG audio frame sync, which is application/octet-stream;
//   3. libmagic with soft magic.
// Thread-safe: each thread has its own two magic_t, loaded on first use (magic_t is not
// thread-safe, and loading the database per object would cost more than sniffing).
#ifndef KUMO_FUNCTIONS_METADATA_SNIFF_H
#define KUMO_FUNCTIONS_METADATA_SNIFF_H

#include <string>
#include <string_view>

namespace kumo::metadata {

// The MIME type libmagic finds in data (an object's first bytes), e.g. "image/jpeg";
// "application/octet-stream" when it knows nothing better. Throws std::runtime_error
// when the magic database cannot be loaded.
std::string SniffMime(std::string_view data);

// libmagic's full answer for data, soft magic included (step 3 alone).
std::string SniffMimeWithLibmagic(std::string_view data);

// Lower case, parameters (";charset=...") and blanks dropped, well-known aliases mapped
// to one name (image/jpg -> image/jpeg, audio/x-wav -> audio/wav, ...).
std::string NormalizeMime(std::string_view mime);

// text/*, JSON, XML (+xml, +json), JavaScript, YAML, CSV and the like.
bool IsTextLike(std::string_view normalized_mime);

// Whether the claimed Content-Type disagrees with the sniffed one. Not a mismatch:
// an empty or generic claim (application/octet-stream, binary/octet-stream); a sniffed
// type libmagic falls back to when it cannot tell (application/octet-stream,
// application/x-empty, inode/x-empty); both types equal after NormalizeMime; both
// text-like (libmagic cannot tell Markdown or CSV from plain text reliably); audio/X
// against video/X (one container, e.g. mp4, webm, ogg); a ZIP-based claim (+zip,
// OOXML, OpenDocument, jar, epub) for what libmagic sees as application/zip.
bool MimeMismatch(std::string_view claimed, std::string_view sniffed);

// The short format name of a MIME type ("jpeg", "png", "pdf", "mp4", "wav", ...), or ""
// when there is none.
std::string FormatOfMime(std::string_view normalized_mime);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_SNIFF_H
