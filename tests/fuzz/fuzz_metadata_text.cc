// Fuzzes the metadata function's own parsers of object bytes (functions/metadata/text.h,
// extract.h): JSON top-level keys, CSV columns, HTML stripping, UTF-8 repair and cutting,
// the JPEG header scan. Object bytes come from any client. Invariants checked: ToUtf8,
// StripHtml and TruncateUtf8 return valid UTF-8 (nlohmann's strict dump accepts them);
// TruncateUtf8 keeps within its limit; no key or column is longer than the input.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "extract.h"
#include "text.h"

namespace {

void CheckUtf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();  // throws on invalid UTF-8
  } catch (const nlohmann::json::type_error&) {
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string utf8 = kumo::metadata::ToUtf8(in);
  CheckUtf8(utf8);
  size_t limit = size == 0 ? 0 : data[0] % 64;
  std::string cut = kumo::metadata::TruncateUtf8(utf8, limit);
  if (cut.size() > limit) abort();
  CheckUtf8(cut);
  CheckUtf8(kumo::metadata::StripHtml(utf8));
  for (const auto& key : kumo::metadata::JsonTopLevelKeys(in)) {
    if (key.size() > size) abort();
  }
  for (const auto& column : kumo::metadata::CsvColumns(in, size % 2 == 0)) {
    if (column.size() > size) abort();
  }
  (void)kumo::metadata::JpegHeaderComplete(in);
  return 0;
}
