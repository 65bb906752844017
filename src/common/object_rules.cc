#include "common/object_rules.h"

#include <algorithm>
#include <cctype>

#include "common/utf8.h"

namespace kumo {

namespace {

bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return {ErrorCode::kInvalidArgument, "Object key must not be empty"};
  if (key.size() > kMaxObjectKeyBytes) return {ErrorCode::kKeyTooLongError, "Your key is too long"};
  if (!IsValidUtf8(key)) return {ErrorCode::kInvalidArgument, "Object key is not valid UTF-8"};
  return Status::OK();
}

Status ValidateUserMetadata(const StringPairs& metadata) {
  size_t total = 0;
  for (const auto& [name, value] : metadata) {
    if (!IsToken(name)) {
      return {ErrorCode::kInvalidArgument, "invalid metadata name '" + name + "'"};
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      return {ErrorCode::kInvalidArgument, "metadata values must not contain line breaks"};
    }
    total += name.size() + value.size();
  }
  if (total > kMaxUserMetadataBytes) {
    return {ErrorCode::kMetadataTooLarge,
            "Your metadata headers exceed the maximum allowed metadata size."};
  }
  return Status::OK();
}

Status NormalizeUserMetadata(StringPairs* metadata) {
  for (auto& entry : *metadata) {
    std::transform(entry.first.begin(), entry.first.end(), entry.first.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return ValidateUserMetadata(*metadata);
}

std::string StoredContentType(std::string_view given) {
  return std::string(given.empty() ? kDefaultContentType : given);
}

}  // namespace kumo
