#include "s3/xml_read.h"

namespace kumo::s3 {

Status MalformedXml() {
  return {ErrorCode::kMalformedXML,
          "The XML you provided was not well-formed or did not validate against our "
          "published schema"};
}

std::optional<std::string> LeafText(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace kumo::s3
