// The SignedHeaders list (Authorization header or X-Amz-SignedHeaders) and the rule both
// auth styles share: every x-amz-* header of the request is one of its names.
#include <algorithm>
#include <cctype>

#include "auth/sigv4_internal.h"

namespace kumo::auth::internal {

std::string SplitSignedHeaders(std::string_view text, std::vector<std::string_view>* names) {
  names->clear();
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(pos, end - pos);
    if (name.empty()) return "SignedHeaders has an empty name.";
    for (char c : name) {
      auto u = static_cast<unsigned char>(c);
      if (u <= ' ' || u >= 0x7f || c == ':' || std::isupper(u)) {
        return "SignedHeaders must be lower-case header names.";
      }
    }
    // Checked as each name arrives, so that a list of thousands of names is refused
    // after reading kMaxSignedHeaders + 1 of them, before any key lookup or hashing.
    if (names->size() == kMaxSignedHeaders) {
      return "SignedHeaders has more than " + std::to_string(kMaxSignedHeaders) + " names.";
    }
    // Every SDK sends the list sorted and without repeats, as SigV4 prescribes; a repeat
    // would only multiply the canonical request (one line per repeat).
    if (!names->empty() && name <= names->back()) {
      return "SignedHeaders must be sorted and must not repeat a name.";
    }
    names->push_back(name);
    pos = end + 1;
  }
  if (!std::binary_search(names->begin(), names->end(), "host")) {
    return "SignedHeaders must include host.";
  }
  return "";
}

Status RequireAmzHeadersSigned(const HttpRequest& request,
                               const std::vector<std::string_view>& sorted_names) {
  std::string unsigned_names;
  for (const auto& [name, value] : request.headers) {
    if (!name.starts_with("x-amz-")) continue;
    // Its value is the payload line of the canonical request, hence signed either way;
    // S3 accepts it unsigned too.
    if (name == "x-amz-content-sha256") continue;
    if (std::binary_search(sorted_names.begin(), sorted_names.end(), name)) continue;
    if (!unsigned_names.empty()) unsigned_names.append(", ");
    unsigned_names.append(name);
  }
  if (unsigned_names.empty()) return Status::OK();
  return Status(
      ErrorCode::kAccessDenied,
      "There were headers present in the request which were not signed: " + unsigned_names);
}

}  // namespace kumo::auth::internal
