// Fuzzes the bucket access configuration documents: the <OwnershipControls> body of
// PutBucketOwnershipControls (ParseOwnershipControlsXml) and the
// <PublicAccessBlockConfiguration> body of PutPublicAccessBlock (ParsePublicAccessBlockXml),
// and the XML depth guard (xml_check.h). Input: the body.
// Invariants: what a parser accepts renders (Render*Xml, the Get answers) to a document
// that parses back to the same value.
#include <cstdint>
#include <string_view>

#include "s3/access_config_xml.h"
#include "xml_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  if (auto ownership = kumo::s3::ParseOwnershipControlsXml(body); ownership.ok()) {
    auto again =
        kumo::s3::ParseOwnershipControlsXml(kumo::s3::RenderOwnershipControlsXml(*ownership));
    KUMO_FUZZ_CHECK(again.ok());
    KUMO_FUZZ_CHECK(*again == *ownership);
  }
  if (auto block = kumo::s3::ParsePublicAccessBlockXml(body); block.ok()) {
    auto again = kumo::s3::ParsePublicAccessBlockXml(kumo::s3::RenderPublicAccessBlockXml(*block));
    KUMO_FUZZ_CHECK(again.ok());
    KUMO_FUZZ_CHECK(*again == *block);
  }
  return 0;
}
