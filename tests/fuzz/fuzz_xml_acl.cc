// Fuzzes the AccessControlPolicy body of PutBucketAcl / PutObjectAcl (ParseAclXml) and
// the XML depth guard (xml_check.h). Input: the body.
// Invariants: an accepted ACL has an owner and at most kMaxAclGrants grants, canonical
// grantees have an ID; the document GetBucketAcl renders for it (RenderAclXml) parses
// again, and renders the same the second time (rendering may replace characters XML
// cannot carry, once).
#include <cstdint>
#include <string_view>

#include "s3/acl_xml.h"
#include "xml_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  auto acl = kumo::s3::ParseAclXml(body);
  if (!acl.ok()) return 0;
  KUMO_FUZZ_CHECK(!acl->owner.empty());
  KUMO_FUZZ_CHECK(acl->grants.size() <= kumo::s3::kMaxAclGrants);
  for (const auto& g : acl->grants) {
    KUMO_FUZZ_CHECK((g.type == kumo::policy::GranteeType::kCanonicalUser) == !g.id.empty());
  }
  std::string xml = kumo::s3::RenderAclXml(*acl);
  auto again = kumo::s3::ParseAclXml(xml);
  if (!again.ok()) std::fprintf(stderr, "re-parse: %s\n", again.status().ToString().c_str());
  KUMO_FUZZ_CHECK(again.ok());
  KUMO_FUZZ_CHECK(again->grants.size() == acl->grants.size());
  KUMO_FUZZ_CHECK(kumo::s3::RenderAclXml(*again) == xml);
  return 0;
}
