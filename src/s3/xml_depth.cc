#include "s3/xml_depth.h"

namespace kumo::s3 {

void XmlDepthScanner::StartSkip(std::string_view terminator) {
  state_ = State::kSkipTo;
  terminator_ = terminator;
  matched_ = 0;
}

bool XmlDepthScanner::Feed(std::string_view data) {
  for (char c : data) {
    if (exceeded_) return false;
    switch (state_) {
      case State::kText:
        if (c == '<') state_ = State::kOpen;
        break;
      case State::kOpen:
        if (c == '/') {
          state_ = State::kEndTag;
        } else if (c == '?') {
          StartSkip("?>");
        } else if (c == '!') {
          state_ = State::kBang;
          bang_seen_ = 0;
        } else {
          state_ = State::kStartTag;
          if (++depth_ > max_seen_) max_seen_ = depth_;
          if (depth_ > max_depth_) exceeded_ = true;
        }
        break;
      case State::kBang:
        // "<!--" opens a comment, "<![" a CDATA section, anything else a declaration.
        if (bang_seen_ == 0 && c == '[') {
          StartSkip("]]>");
        } else if (bang_seen_ == 0 && c == '-') {
          bang_seen_ = 1;
        } else if (bang_seen_ == 1 && c == '-') {
          StartSkip("-->");
        } else if (c == '>') {
          state_ = State::kText;
        } else {
          StartSkip(">");
        }
        break;
      case State::kStartTag:
        if (c == '"' || c == '\'') {
          quote_ = c;
          state_ = State::kQuoted;
        } else if (c == '/') {
          state_ = State::kSlash;
        } else if (c == '>') {
          state_ = State::kText;
        }
        break;
      case State::kSlash:
        if (c == '>') {
          --depth_;  // an empty-element tag closes itself
          state_ = State::kText;
        } else {
          state_ = State::kStartTag;
        }
        break;
      case State::kQuoted:
        if (c == quote_) state_ = State::kStartTag;
        break;
      case State::kEndTag:
        if (c == '>') {
          if (depth_ > 0) --depth_;
          state_ = State::kText;
        }
        break;
      case State::kSkipTo:
        // The terminators have no repeated prefix but "-->" and "]]>", whose first byte
        // may repeat: "--->" and "]]]>" end them too.
        if (c == terminator_[matched_]) {
          if (++matched_ == terminator_.size()) state_ = State::kText;
        } else if (matched_ > 0 && c == terminator_[0]) {
          matched_ = (matched_ == 2 && terminator_[1] == terminator_[0]) ? 2 : 1;
        } else {
          matched_ = 0;
        }
        break;
    }
  }
  return !exceeded_;
}

}  // namespace kumo::s3
