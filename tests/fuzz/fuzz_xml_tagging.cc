// Fuzzes the tagging documents: the <Tagging> body of Put{Object,Bucket}Tagging
// (ParseTaggingXml), the x-amz-tagging header (ParseTaggingHeader) and the XML depth
// guard (xml_check.h). Input: the body; the header is the same bytes.
// Invariants: an accepted tag set obeys the tag limits, and the document GetObjectTagging
// renders for it (RenderTaggingXml) parses back to the same set.
#include <cstdint>
#include <string_view>

#include "common/object_tags.h"
#include "s3/tagging.h"
#include "xml_check.h"

namespace {

void CheckSet(const kumo::StringPairs& tags, size_t max) {
  KUMO_FUZZ_CHECK(tags.size() <= max);
  std::string xml = kumo::s3::RenderTaggingXml(tags);
  auto again = kumo::s3::ParseTaggingXml(
      xml, max == kumo::kMaxBucketTags ? kumo::s3::TagSetOf::kBucket : kumo::s3::TagSetOf::kObject);
  if (!again.ok()) std::fprintf(stderr, "re-parse: %s\n", again.status().ToString().c_str());
  KUMO_FUZZ_CHECK(again.ok());
  KUMO_FUZZ_CHECK(*again == tags);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  if (auto tags = kumo::s3::ParseTaggingXml(body); tags.ok()) {
    CheckSet(*tags, kumo::kMaxObjectTags);
  }
  if (auto tags = kumo::s3::ParseTaggingXml(body, kumo::s3::TagSetOf::kBucket); tags.ok()) {
    CheckSet(*tags, kumo::kMaxBucketTags);
  }
  if (auto tags = kumo::s3::ParseTaggingHeader(body); tags.ok()) {
    CheckSet(*tags, kumo::kMaxObjectTags);
  }
  return 0;
}
