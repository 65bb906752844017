// Fuzzes the DeleteObjects request document (ParseDeleteRequest) and the XML depth
// guard (xml_check.h). Input: the request body. Invariant: an accepted document names
// 1 to kMaxDeleteKeys keys.
#include <cstdint>
#include <string_view>

#include "s3/request_xml.h"
#include "xml_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  auto request = kumo::s3::ParseDeleteRequest(body);
  if (request.ok()) {
    KUMO_FUZZ_CHECK(!request->keys.empty() && request->keys.size() <= kumo::s3::kMaxDeleteKeys);
  } else {
    KUMO_FUZZ_CHECK(request.status().Is(kumo::ErrorCode::kMalformedXML));
  }
  return 0;
}
