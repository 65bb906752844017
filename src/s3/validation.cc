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

bool ValidUtf8(std::string_view s) {
  // RFC 3629 section 4: no overlong forms, no surrogates, nothing above U+10FFFF.
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return false;  // continuation byte, C0/C1 or F5..FF
    }
    if (s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
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

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return {ErrorCode::kInvalidArgument, "Object key must not be empty"};
  if (key.size() > kMaxKeyBytes) {
    return {ErrorCode::kKeyTooLongError, "Your key is too long"};
  }
  if (!ValidUtf8(key)) {
    return {ErrorCode::kInvalidArgument, "Object key is not valid UTF-8"};
  }
  return Status::OK();
}

}  // namespace kumo::s3
