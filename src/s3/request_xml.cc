#include "s3/request_xml.h"

#include <charconv>
#include <pugixml.hpp>

#include "common/utf8.h"
#include "s3/checksum.h"
#include "s3/xml_read.h"

namespace kumo::s3 {

namespace {

Status Malformed() { return MalformedXml(); }

}  // namespace

Result<DeleteRequest> ParseDeleteRequest(std::string_view body) {
  pugi::xml_document doc;
  // Request bodies are UTF-8 (keys and ids are echoed into XML and event JSON).
  if (body.empty() || !IsValidUtf8(body) || !doc.load_buffer(body.data(), body.size())) {
    return Malformed();
  }
  pugi::xml_node root = doc.child("Delete");
  if (!root) return Malformed();
  DeleteRequest request;
  std::string quiet = root.child_value("Quiet");
  request.quiet = quiet == "true" || quiet == "True";
  for (auto obj : root.children("Object")) {
    pugi::xml_node key = obj.child("Key");
    if (!key || request.keys.size() == kMaxDeleteKeys) return Malformed();
    request.keys.emplace_back(key.child_value());
  }
  if (request.keys.empty()) return Malformed();
  return request;
}

Result<std::vector<RequestedPart>> ParseCompleteMultipartUpload(std::string_view body) {
  pugi::xml_document doc;
  // Request bodies are UTF-8 (keys and ids are echoed into XML and event JSON).
  if (body.empty() || !IsValidUtf8(body) || !doc.load_buffer(body.data(), body.size())) {
    return Malformed();
  }
  auto root = doc.child("CompleteMultipartUpload");
  if (!root) return Malformed();
  std::vector<RequestedPart> parts;
  for (auto p : root.children("Part")) {
    std::string num = p.child_value("PartNumber");
    int n = 0;
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
    if (ec != std::errc() || ptr != num.data() + num.size()) return Malformed();
    std::string etag = p.child_value("ETag");
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
      etag = etag.substr(1, etag.size() - 2);
    }
    StringPairs checksums;
    for (auto child : p.children()) {
      std::string_view name = child.name();
      if (name.rfind("Checksum", 0) != 0) continue;
      auto alg = ParseChecksumAlgorithm(name.substr(8));
      if (!alg) return Malformed();
      checksums.emplace_back(ChecksumName(*alg), child.child_value());
    }
    parts.push_back({n, etag, std::move(checksums)});
  }
  if (parts.empty()) return Malformed();
  return parts;
}

}  // namespace kumo::s3
