// The check every XML fuzz target applies to its input besides its own parser's: the
// XmlDepthScanner that guards every XML request body (s3/operation.h) gives the same
// answer however the body is split, and never counts fewer levels than pugixml, the
// parser behind it, builds for a document it accepts (an under-count would let a deep
// document past the guard). Header-only; single-threaded.
#pragma once

#include <pugixml.hpp>
#include <string_view>

#include "fuzz_util.h"
#include "s3/xml_depth.h"

namespace kumo::fuzz {

// The element depth of a parsed document (pugixml's traverse is not recursive).
inline size_t PugiDepth(pugi::xml_document& doc) {
  struct Walker : pugi::xml_tree_walker {
    size_t max = 0;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() == pugi::node_element) max = std::max(max, static_cast<size_t>(depth()) + 1);
      return true;
    }
  } walker;
  doc.traverse(walker);
  return walker.max;
}

inline void CheckXmlDepth(std::string_view body) {
  s3::XmlDepthScanner whole;
  bool whole_ok = whole.Feed(body);
  s3::XmlDepthScanner bytes;
  bool bytes_ok = true;
  for (size_t i = 0; i < body.size(); ++i) bytes_ok = bytes.Feed(body.substr(i, 1));
  KUMO_FUZZ_CHECK(whole_ok == bytes_ok);
  KUMO_FUZZ_CHECK(whole.max_seen() == bytes.max_seen());
  if (!whole_ok) return;  // refused: no parser sees it
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return;
  size_t depth = PugiDepth(doc);
  if (whole.max_seen() < depth) {
    std::fprintf(stderr, "scanner depth %zu < pugixml depth %zu\n", whole.max_seen(), depth);
  }
  KUMO_FUZZ_CHECK(whole.max_seen() >= depth);
}

}  // namespace kumo::fuzz
