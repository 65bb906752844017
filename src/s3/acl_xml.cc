#include "s3/acl_xml.h"

#include <pugixml.hpp>

#include "common/utf8.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

Status Malformed(std::string_view detail = {}) {
  std::string msg =
      "The XML you provided was not well-formed or did not validate against our published "
      "schema";
  if (!detail.empty()) msg.append(" (").append(detail).append(")");
  return {ErrorCode::kMalformedACLError, std::move(msg)};
}

// The value of the grantee's type attribute: "<prefix>:type" where the prefix is bound to
// the XML Schema instance namespace on the element or an ancestor (boto3 and the AWS CLI
// write xmlns:xsi on the Grantee itself; pugixml does not resolve namespaces).
std::string_view XsiType(pugi::xml_node node) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if (colon == std::string_view::npos || name.substr(colon + 1) != "type") continue;
    std::string binding = std::string("xmlns:").append(name.substr(0, colon));
    for (pugi::xml_node n = node; n; n = n.parent()) {
      if (pugi::xml_attribute ns = n.attribute(binding.c_str())) {
        if (ns.value() == kXsiNamespace) return a.value();
        break;
      }
    }
  }
  return {};
}

Result<policy::Grant> ParseGrant(pugi::xml_node grant) {
  pugi::xml_node grantee = grant.child("Grantee");
  pugi::xml_node permission = grant.child("Permission");
  if (!grantee || !permission) return Malformed("a Grant needs a Grantee and a Permission");
  policy::Grant out;
  auto p = policy::ParsePermission(permission.child_value());
  if (!p) return Malformed("unknown Permission");
  out.permission = *p;
  std::string_view type = XsiType(grantee);
  if (type == "CanonicalUser") {
    out.type = policy::GranteeType::kCanonicalUser;
    out.id = grantee.child_value("ID");
    if (out.id.empty()) return Malformed("a CanonicalUser grantee needs an ID");
  } else if (type == "Group") {
    auto group = policy::GroupFromUri(grantee.child_value("URI"));
    if (!group) return Malformed("unknown group URI");
    out.type = *group;
  } else if (type == "AmazonCustomerByEmail") {
    return Status(ErrorCode::kUnresolvableGrantByEmailAddress,
                  "The e-mail address you provided does not match any account on record.");
  } else {
    return Malformed("unknown grantee type");
  }
  return out;
}

}  // namespace

Result<policy::Acl> ParseAclXml(std::string_view body) {
  pugi::xml_document doc;
  if (!IsValidUtf8(body) || !doc.load_buffer(body.data(), body.size())) return Malformed();
  pugi::xml_node root = doc.child("AccessControlPolicy");
  if (!root) return Malformed();
  policy::Acl acl;
  acl.owner = root.child("Owner").child_value("ID");
  if (acl.owner.empty()) return Malformed("the Owner needs an ID");
  pugi::xml_node list = root.child("AccessControlList");
  if (!list) return Malformed("no AccessControlList");
  for (pugi::xml_node grant : list.children("Grant")) {
    if (acl.grants.size() == kMaxAclGrants) return Malformed("more than 100 grants");
    KUMO_ASSIGN_OR_RETURN(policy::Grant g, ParseGrant(grant));
    acl.grants.push_back(std::move(g));
  }
  return acl;
}

std::string RenderAclXml(const policy::Acl& acl) {
  XmlWriter xml("AccessControlPolicy");
  xml.Open("Owner");
  xml.Text("ID", acl.owner);
  xml.Text("DisplayName", acl.owner);
  xml.Close();
  xml.Open("AccessControlList");
  for (const policy::Grant& g : acl.grants) {
    xml.Open("Grant");
    const bool user = g.type == policy::GranteeType::kCanonicalUser;
    xml.Open("Grantee", user ? "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                               "xsi:type=\"CanonicalUser\""
                             : "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                               "xsi:type=\"Group\"");
    if (user) {
      xml.Text("ID", g.id);
      xml.Text("DisplayName", g.id);
    } else {
      xml.Text("URI", policy::GroupUri(g.type));
    }
    xml.Close();
    xml.Text("Permission", policy::PermissionName(g.permission));
    xml.Close();
  }
  xml.Close();
  return xml.Finish();
}

}  // namespace kumo::s3
