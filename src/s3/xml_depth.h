// XmlDepthScanner: the element nesting depth of an XML document fed in pieces, without
// parsing it. Request bodies are checked with it as they arrive, so a document nested
// deeper than any S3 request document (1 MiB of "<a><a><a>...") is refused before a
// parser or a DOM walk ever sees it.
//
// It counts start tags, end tags and empty-element tags, and skips comments, CDATA
// sections, processing instructions, declarations and quoted attribute values. On
// malformed input the count may be off; the parser then refuses the document anyway.
// Thread safety: one scanner per document, used by one thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace kumo::s3 {

// Deeper than any document an S3 call takes (the deepest, a notification
// configuration's FilterRule/Name, is 6).
constexpr size_t kMaxXmlDepth = 20;

class XmlDepthScanner {
 public:
  explicit XmlDepthScanner(size_t max_depth = kMaxXmlDepth) : max_depth_(max_depth) {}

  // Scans the next bytes. Returns false once the depth has exceeded max_depth (and on
  // every later call).
  bool Feed(std::string_view data);

  size_t max_seen() const { return max_seen_; }

 private:
  enum class State {
    kText,      // character data
    kOpen,      // after '<'
    kBang,      // after "<!"
    kStartTag,  // inside a start tag
    kSlash,     // '/' inside a start tag: "/>" ends an empty-element tag
    kQuoted,    // inside an attribute value, ended by quote_
    kEndTag,    // inside an end tag
    kSkipTo,    // inside a comment, CDATA, PI or declaration, ended by terminator_
  };

  void StartSkip(std::string_view terminator);

  const size_t max_depth_;
  State state_ = State::kText;
  char quote_ = 0;
  std::string_view terminator_;  // of kSkipTo: "-->", "]]>", "?>" or ">"
  size_t matched_ = 0;           // bytes of terminator_ matched so far
  size_t bang_seen_ = 0;         // bytes after "<!" (to tell "<!--" and "<![" apart)
  size_t depth_ = 0;
  size_t max_seen_ = 0;
  bool exceeded_ = false;
};

}  // namespace kumo::s3
