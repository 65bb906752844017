#include "s3/access_config_xml.h"

#include <optional>
#include <pugixml.hpp>

#include "common/utf8.h"
#include "s3/xml_read.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

Status Malformed() { return MalformedXml(); }

// The document's root element when it is the only one and is named `name`; null otherwise.
pugi::xml_node Root(const pugi::xml_document& doc, std::string_view name) {
  pugi::xml_node found;
  for (pugi::xml_node child : doc.children()) {
    if (child.type() != pugi::node_element) continue;
    if (found || name != child.name()) return {};
    found = child;
  }
  return found;
}

bool Load(std::string_view body, pugi::xml_document* doc) {
  constexpr unsigned kOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;
  return !body.empty() && IsValidUtf8(body) && doc->load_buffer(body.data(), body.size(), kOptions);
}

}  // namespace

Result<policy::ObjectOwnership> ParseOwnershipControlsXml(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(body, &doc)) return Malformed();
  pugi::xml_node root = Root(doc, "OwnershipControls");
  if (!root) return Malformed();
  std::optional<policy::ObjectOwnership> ownership;
  for (pugi::xml_node rule : root.children()) {
    if (rule.type() != pugi::node_element) continue;
    if (std::string_view(rule.name()) != "Rule" || ownership) return Malformed();
    for (pugi::xml_node field : rule.children()) {
      if (field.type() != pugi::node_element) continue;
      if (std::string_view(field.name()) != "ObjectOwnership" || ownership) return Malformed();
      std::optional<std::string> text = LeafText(field);
      if (!text) return Malformed();
      ownership = policy::ParseOwnership(*text);
      if (!ownership) return Malformed();
    }
    if (!ownership) return Malformed();
  }
  if (!ownership) return Malformed();
  return *ownership;
}

std::string RenderOwnershipControlsXml(policy::ObjectOwnership ownership) {
  XmlWriter xml("OwnershipControls");
  xml.Open("Rule");
  xml.Text("ObjectOwnership", policy::OwnershipName(ownership));
  xml.Close();
  return xml.Finish();
}

bool AclAllowsBucketOwnerEnforced(const policy::Acl& bucket_acl) {
  for (const policy::Grant& g : bucket_acl.grants) {
    if (g.type != policy::GranteeType::kCanonicalUser || g.id != bucket_acl.owner) return false;
  }
  return true;
}

Result<policy::PublicAccessBlock> ParsePublicAccessBlockXml(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(body, &doc)) return Malformed();
  pugi::xml_node root = Root(doc, "PublicAccessBlockConfiguration");
  if (!root) return Malformed();
  policy::PublicAccessBlock block;
  struct Switch {
    std::string_view name;
    bool policy::PublicAccessBlock::*field;
    bool seen = false;
  };
  Switch switches[] = {
      {"BlockPublicAcls", &policy::PublicAccessBlock::block_public_acls},
      {"IgnorePublicAcls", &policy::PublicAccessBlock::ignore_public_acls},
      {"BlockPublicPolicy", &policy::PublicAccessBlock::block_public_policy},
      {"RestrictPublicBuckets", &policy::PublicAccessBlock::restrict_public_buckets},
  };
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    Switch* s = nullptr;
    for (Switch& candidate : switches) {
      if (candidate.name == child.name()) s = &candidate;
    }
    if (s == nullptr || s->seen) return Malformed();
    s->seen = true;
    std::optional<std::string> text = LeafText(child);
    if (!text || (*text != "true" && *text != "false")) return Malformed();
    block.*(s->field) = *text == "true";
  }
  return block;
}

std::string RenderPublicAccessBlockXml(const policy::PublicAccessBlock& block) {
  auto b = [](bool v) { return v ? "true" : "false"; };
  XmlWriter xml("PublicAccessBlockConfiguration");
  xml.Text("BlockPublicAcls", b(block.block_public_acls));
  xml.Text("IgnorePublicAcls", b(block.ignore_public_acls));
  xml.Text("BlockPublicPolicy", b(block.block_public_policy));
  xml.Text("RestrictPublicBuckets", b(block.restrict_public_buckets));
  return xml.Finish();
}

std::string RenderPolicyStatusXml(bool is_public) {
  XmlWriter xml("PolicyStatus");
  xml.Text("IsPublic", is_public ? "true" : "false");
  return xml.Finish();
}

}  // namespace kumo::s3
