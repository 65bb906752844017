// The metadata function's configuration: its [functions.metadata.config] table, as the
// JSON kumod hands the plugin. Every key is optional:
//   extractors        list of "mime" "sha256" "image" "exif" "media" "pdf" "text"; default all
//   prefixes          list of key prefixes to handle; default [] = every key
//   head_bytes        the most read from an object's start for sniffing and header
//                     parsing (held in memory), default 1048576 (1 MiB)
//   sha256_max_bytes  objects larger than this get no sha256, default 268435456 (256 MiB)
//   pdf_max_bytes     PDFs up to this size are read whole (poppler needs random access);
//                     larger ones get only mime and sha256, default 67108864 (64 MiB)
//   pdf_text_pages    pages of a PDF whose text goes to the full-text index, default 3
//   text_limit_kib    the most full-text text taken from an object, default 64 (KiB),
//                     at most 1024 (the catalog keeps 1 MiB)
// Immutable once parsed; safe to share between threads.
#ifndef KUMO_FUNCTIONS_METADATA_CONFIG_H
#define KUMO_FUNCTIONS_METADATA_CONFIG_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kumo::metadata {

struct Config {
  bool mime = true;
  bool sha256 = true;
  bool image = true;
  bool exif = true;
  bool media = true;
  bool pdf = true;
  bool text = true;
  std::vector<std::string> prefixes;
  uint64_t head_bytes = 1 << 20;
  uint64_t sha256_max_bytes = uint64_t{256} << 20;
  uint64_t pdf_max_bytes = uint64_t{64} << 20;
  uint32_t pdf_text_pages = 3;
  uint32_t text_limit_kib = 64;

  // Whether key is under one of prefixes (any key when prefixes is empty).
  bool Matches(std::string_view key) const;
};

// Parses the function's JSON config. Throws std::invalid_argument naming the key on an
// unknown key, a wrong type or an out-of-range value ("metadata: config key
// \"head_bytes\": ...").
Config ParseConfig(std::string_view json);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_CONFIG_H
