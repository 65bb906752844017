#include "s3/request_checksum.h"

#include <cctype>

#include "common/hash.h"

namespace kumo::s3 {

namespace {
constexpr std::string_view kPrefix = "x-amz-checksum-";

bool IsChecksumValueHeader(const std::string& name) {
  return name.rfind(kPrefix, 0) == 0 && name != "x-amz-checksum-mode" &&
         name != "x-amz-checksum-type" && name != "x-amz-checksum-algorithm";
}

bool HasPrefix(std::string_view value) {
  if (value.size() < kPrefix.size()) return false;
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kPrefix[i]) return false;
  }
  return true;
}

Status Invalid(std::string message) { return {ErrorCode::kInvalidRequest, std::move(message)}; }

Status Multiple() {
  return Invalid(
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
}
}  // namespace

Result<std::optional<RequestChecksum>> ParseRequestChecksum(const HttpRequest& request) {
  std::optional<RequestChecksum> found;
  for (const auto& [name, value] : request.headers) {
    if (!IsChecksumValueHeader(name)) continue;
    auto alg = ParseChecksumAlgorithm(name);
    if (!alg)
      return Invalid("The algorithm type you specified in x-amz-checksum- header is invalid.");
    if (found) return Multiple();
    std::string raw;
    if (!Base64Decode(value, &raw) || raw.size() != ChecksumDigestSize(*alg)) {
      return Invalid("Value for " + name + " header is invalid.");
    }
    found = RequestChecksum{*alg, value, false};
  }
  if (const std::string* trailer = request.Header("x-amz-trailer")) {
    auto alg = ParseChecksumAlgorithm(*trailer);
    if (!alg || !HasPrefix(*trailer)) {
      return Invalid("The value specified in the x-amz-trailer header is not supported");
    }
    if (found) return Multiple();
    found = RequestChecksum{*alg, "", true};
  }
  if (const std::string* sdk = request.Header("x-amz-sdk-checksum-algorithm")) {
    auto alg = ParseChecksumAlgorithm(*sdk);
    if (!alg || HasPrefix(*sdk)) {
      return Invalid("Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
    if (!found) {
      return Invalid(
          "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or "
          "x-amz-trailer headers were found.");
    }
    if (found->algorithm != *alg) {
      return Invalid("Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
  }
  return found;
}

bool ChecksumHeadersDescribeBody(const HttpRequest& request, bool has_upload_id) {
  return !(request.method == "POST" && has_upload_id);
}

}  // namespace kumo::s3
