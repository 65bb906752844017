#include "s3/validation.h"

#include <cctype>

namespace kumo::s3 {

namespace {
bool LooksLikeIpv4(std::string_view s) {
  int dots = 0;
  for (char c : s) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Status ValidateBucketName(std::string_view name) {
  auto invalid = [&] {
    return Status(ErrorCode::kInvalidBucketName, "The specified bucket is not valid.");
  };
  if (name.size() < 3 || name.size() > 63) return invalid();
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return invalid();
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return invalid();
  if (name.find("..") != std::string_view::npos) return invalid();
  if (name.find(".-") != std::string_view::npos || name.find("-.") != std::string_view::npos) {
    return invalid();
  }
  if (LooksLikeIpv4(name)) return invalid();
  if (name.substr(0, 4) == "xn--" || name.substr(0, 7) == "sthree-") return invalid();
  if (EndsWith(name, "-s3alias") || EndsWith(name, "--ol-s3")) return invalid();
  return Status::OK();
}

}  // namespace kumo::s3
