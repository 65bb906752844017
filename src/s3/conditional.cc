#include "s3/conditional.h"

#include "common/time_util.h"

namespace kumo::s3 {

namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Failed() {
  return {ErrorCode::kPreconditionFailed,
          "At least one of the pre-conditions you specified did not hold"};
}
Status NotModified() { return {ErrorCode::kNotModified, "Not Modified"}; }
}  // namespace

bool EtagListMatches(std::string_view list, std::string_view etag) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

Status EvaluateConditions(const Conditions& c, std::string_view etag, int64_t mtime_seconds) {
  bool if_match_passed = false;
  if (c.if_match != nullptr) {
    if (!EtagListMatches(*c.if_match, etag)) return Failed();
    if_match_passed = true;
  }
  if (c.if_unmodified_since != nullptr && !if_match_passed) {
    auto t = ParseHttpDate(*c.if_unmodified_since);
    if (t && mtime_seconds > *t) return Failed();
  }
  if (c.if_none_match != nullptr) {
    if (EtagListMatches(*c.if_none_match, etag)) return NotModified();
    return Status::OK();  // If-Modified-Since is ignored when If-None-Match is present
  }
  if (c.if_modified_since != nullptr) {
    auto t = ParseHttpDate(*c.if_modified_since);
    if (t && mtime_seconds <= *t) return NotModified();
  }
  return Status::OK();
}

Status EvaluateCopySourceConditions(const Conditions& c, std::string_view etag,
                                    int64_t mtime_seconds) {
  Status s = EvaluateConditions(c, etag, mtime_seconds);
  if (s.Is(ErrorCode::kNotModified)) return Failed();
  return s;
}

}  // namespace kumo::s3
