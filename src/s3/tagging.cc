#include "s3/tagging.h"

#include <algorithm>
#include <optional>
#include <pugixml.hpp>

#include "common/object_tags.h"
#include "common/utf8.h"
#include "s3/xml_read.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

Status Malformed() { return MalformedXml(); }

Status BadHeader() {
  return {ErrorCode::kInvalidArgument,
          "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
          "parameters without tag name duplicates."};
}

// The only element child of parent, which must be named `name`; null otherwise.
pugi::xml_node OnlyChild(pugi::xml_node parent, std::string_view name) {
  pugi::xml_node found;
  for (pugi::xml_node child : parent.children()) {
    if (child.type() != pugi::node_element) continue;
    if (found || name != child.name()) return {};
    found = child;
  }
  return found;
}

}  // namespace

Result<StringPairs> ParseTaggingXml(std::string_view body, TagSetOf of) {
  pugi::xml_document doc;
  constexpr unsigned kOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;
  if (body.empty() || !doc.load_buffer(body.data(), body.size(), kOptions)) return Malformed();
  pugi::xml_node set = OnlyChild(OnlyChild(doc, "Tagging"), "TagSet");
  if (!set) return Malformed();
  StringPairs tags;
  for (pugi::xml_node tag : set.children()) {
    if (tag.type() != pugi::node_element) continue;
    if (std::string_view(tag.name()) != "Tag") return Malformed();
    std::optional<std::string> key, value;
    for (pugi::xml_node field : tag.children()) {
      if (field.type() != pugi::node_element) continue;
      std::string_view name = field.name();
      std::optional<std::string>* slot = name == "Key" ? &key : name == "Value" ? &value : nullptr;
      if (slot == nullptr || slot->has_value()) return Malformed();
      *slot = LeafText(field);
      if (!slot->has_value()) return Malformed();
    }
    if (!key || !value) return Malformed();
    tags.emplace_back(std::move(*key), std::move(*value));
  }
  KUMO_RETURN_IF_ERROR(of == TagSetOf::kBucket ? ValidateBucketTags(&tags) : ValidateTags(&tags));
  return tags;
}

Result<StringPairs> ParseTaggingHeader(std::string_view value) {
  StringPairs tags;
  while (!value.empty()) {
    size_t amp = value.find('&');
    std::string_view pair = value.substr(0, amp);
    value = amp == std::string_view::npos ? std::string_view() : value.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == 0 || (eq != std::string_view::npos && pair.find('=', eq + 1) != pair.npos)) {
      return BadHeader();
    }
    auto key = UrlDecode(pair.substr(0, eq), /*plus_as_space=*/true);
    auto val = eq == std::string_view::npos
                   ? std::optional<std::string>("")
                   : UrlDecode(pair.substr(eq + 1), /*plus_as_space=*/true);
    if (!key || !val || !IsValidUtf8(*key) || !IsValidUtf8(*val)) return BadHeader();
    tags.emplace_back(std::move(*key), std::move(*val));
  }
  // Sorted copies of the keys, not a scan per pair: duplicates in linear-log time.
  std::vector<std::string_view> keys;
  keys.reserve(tags.size());
  for (const auto& [k, v] : tags) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) return BadHeader();
  KUMO_RETURN_IF_ERROR(ValidateTags(&tags));
  return tags;
}

std::string RenderTaggingXml(const StringPairs& tags) {
  XmlWriter xml("Tagging");
  xml.Open("TagSet");
  for (const auto& [key, value] : tags) {
    xml.Open("Tag");
    xml.Text("Key", key);
    xml.Text("Value", value);
    xml.Close();
  }
  xml.Close();
  return xml.Finish();
}

Status TagsFromRequest(const HttpRequest& request, storage::ObjectMeta* meta) {
  const std::string* header = request.Header("x-amz-tagging");
  if (header == nullptr) return Status::OK();
  KUMO_ASSIGN_OR_RETURN(meta->tags, ParseTaggingHeader(*header));
  return Status::OK();
}

}  // namespace kumo::s3
