#include "s3/multipart_checksum.h"

#include <algorithm>
#include <cctype>

#include "common/hash.h"

namespace kumo::s3 {

namespace {
Status Invalid(std::string message) { return {ErrorCode::kInvalidRequest, std::move(message)}; }

ChecksumType DefaultType(ChecksumAlgorithm a) {
  return a == ChecksumAlgorithm::kCrc64Nvme ? ChecksumType::kFullObject : ChecksumType::kComposite;
}

bool Allowed(ChecksumAlgorithm a, ChecksumType t) {
  return t == ChecksumType::kFullObject ? IsCrc(a) : a != ChecksumAlgorithm::kCrc64Nvme;
}

std::optional<ChecksumType> ParseType(std::string_view s) {
  std::string upper(s);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (upper == "COMPOSITE") return ChecksumType::kComposite;
  if (upper == "FULL_OBJECT") return ChecksumType::kFullObject;
  return std::nullopt;
}

uint64_t FromBigEndian(const std::string& raw) {
  uint64_t v = 0;
  for (unsigned char c : raw) v = (v << 8) | c;
  return v;
}

std::string ToBigEndian(uint64_t v, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i)
    out[i] = static_cast<char>((v >> (8 * (bytes - 1 - i))) & 0xff);
  return out;
}
}  // namespace

std::string_view ChecksumTypeName(ChecksumType type) {
  return type == ChecksumType::kComposite ? "COMPOSITE" : "FULL_OBJECT";
}

ChecksumType StoredChecksumType(std::string_view value) {
  size_t dash = value.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == value.size()) return ChecksumType::kFullObject;
  for (char c : value.substr(dash + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return ChecksumType::kFullObject;
  }
  return ChecksumType::kComposite;
}

std::string ChecksumElementName(ChecksumAlgorithm algorithm) {
  return "Checksum" + std::string(ChecksumUpperName(algorithm));
}

Result<std::optional<UploadChecksum>> ParseUploadChecksum(const HttpRequest& request) {
  const std::string* alg_header = request.Header("x-amz-checksum-algorithm");
  const std::string* type_header = request.Header("x-amz-checksum-type");
  if (alg_header == nullptr) {
    if (type_header != nullptr) {
      return Invalid(
          "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm "
          "header.");
    }
    return std::optional<UploadChecksum>();
  }
  auto alg = ParseChecksumAlgorithm(*alg_header);
  if (!alg || alg_header->find('-') != std::string::npos) {
    return Invalid(
        "Checksum algorithm provided is unsupported. Please try again with any of the "
        "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  ChecksumType type = DefaultType(*alg);
  if (type_header != nullptr) {
    auto t = ParseType(*type_header);
    if (!t) return Invalid("Value for x-amz-checksum-type header is invalid.");
    type = *t;
  }
  if (!Allowed(*alg, type)) {
    return Invalid("The " + std::string(ChecksumTypeName(type)) +
                   " checksum type cannot be used with the " + std::string(ChecksumName(*alg)) +
                   " checksum algorithm.");
  }
  return std::optional<UploadChecksum>(UploadChecksum{*alg, type});
}

std::pair<std::string, std::string> EncodeUploadChecksum(const UploadChecksum& c) {
  return {std::string(ChecksumName(c.algorithm)), std::string(ChecksumTypeName(c.type))};
}

std::optional<UploadChecksum> DecodeUploadChecksum(const storage::ObjectMeta& upload_meta) {
  if (upload_meta.checksums.empty()) return std::nullopt;
  const auto& [name, type] = upload_meta.checksums.front();
  auto alg = ParseChecksumAlgorithm(name);
  if (!alg) return std::nullopt;
  auto t = ParseType(type);
  return UploadChecksum{*alg, t ? *t : DefaultType(*alg)};
}

Status CheckPartChecksum(const std::optional<UploadChecksum>& upload,
                         const std::optional<RequestChecksum>& part) {
  if (!upload) return Status::OK();
  if (part ? part->algorithm == upload->algorithm : upload->type == ChecksumType::kFullObject) {
    return Status::OK();
  }
  return Invalid("Checksum Type mismatch occurred, expected checksum Type: " +
                 std::string(ChecksumName(upload->algorithm)) + ", actual checksum Type: " +
                 (part ? std::string(ChecksumName(part->algorithm)) : std::string("null")));
}

Result<std::string> ObjectChecksum(const UploadChecksum& c,
                                   const std::vector<PartChecksum>& parts) {
  const size_t digest = ChecksumDigestSize(c.algorithm);
  std::string concatenated;
  uint64_t crc = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string raw;
    if (!Base64Decode(parts[i].value, &raw) || raw.size() != digest) {
      return Status(ErrorCode::kInvalidPart, "Part " + std::to_string(i + 1) + " has no valid " +
                                                 std::string(ChecksumUpperName(c.algorithm)) +
                                                 " checksum.");
    }
    if (c.type == ChecksumType::kFullObject) {
      uint64_t part_crc = FromBigEndian(raw);
      crc = i == 0 ? part_crc : CrcCombine(c.algorithm, crc, part_crc, parts[i].size);
    } else {
      concatenated += raw;
    }
  }
  if (c.type == ChecksumType::kFullObject) return Base64Encode(ToBigEndian(crc, digest));
  Checksummer composite(c.algorithm);
  composite.Update(concatenated);
  return composite.FinishBase64() + "-" + std::to_string(parts.size());
}

}  // namespace kumo::s3
