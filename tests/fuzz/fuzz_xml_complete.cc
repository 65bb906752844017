// Fuzzes the CompleteMultipartUpload part list (ParseCompleteMultipartUpload) and the
// XML depth guard (xml_check.h). Input: the request body. Invariants: an accepted
// document has parts, each checksum named by a known algorithm, ETags unquoted.
#include <cstdint>
#include <string_view>

#include "s3/checksum.h"
#include "s3/request_xml.h"
#include "xml_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  auto parts = kumo::s3::ParseCompleteMultipartUpload(body);
  if (!parts.ok()) {
    KUMO_FUZZ_CHECK(parts.status().Is(kumo::ErrorCode::kMalformedXML));
    return 0;
  }
  KUMO_FUZZ_CHECK(!parts->empty());
  for (const auto& part : *parts) {
    for (const auto& [name, value] : part.checksums) {
      KUMO_FUZZ_CHECK(kumo::s3::ParseChecksumAlgorithm(name).has_value());
    }
  }
  return 0;
}
