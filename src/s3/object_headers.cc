#include "s3/object_headers.h"

#include "common/time_util.h"
#include "s3/multipart_checksum.h"
#include "s3/validation.h"

namespace kumo::s3 {

namespace {
constexpr std::string_view kStoredSystemHeaders[] = {
    "content-encoding", "content-disposition", "content-language", "cache-control", "expires"};
constexpr std::string_view kUserMetaPrefix = "x-amz-meta-";
// How the stored lower-case names are spelled on the way out.
constexpr std::pair<std::string_view, std::string_view> kCanonicalNames[] = {
    {"content-encoding", "Content-Encoding"},
    {"content-disposition", "Content-Disposition"},
    {"content-language", "Content-Language"},
    {"cache-control", "Cache-Control"},
    {"expires", "Expires"}};
}  // namespace

std::string QuotedEtag(const std::string& etag) { return "\"" + etag + "\""; }

Status AttributesFromRequest(const HttpRequest& request, storage::ObjectMeta* meta) {
  const std::string* content_type = request.Header("content-type");
  meta->content_type = StoredContentType(content_type != nullptr ? *content_type : "");
  meta->system_headers.clear();
  meta->user_meta.clear();
  for (const auto& [name, value] : request.headers) {
    if (name.rfind(kUserMetaPrefix, 0) == 0) {
      std::string short_name = name.substr(kUserMetaPrefix.size());
      meta->user_meta.emplace_back(std::move(short_name), value);
      continue;
    }
    for (auto h : kStoredSystemHeaders) {
      if (name == h) meta->system_headers.emplace_back(name, value);
    }
  }
  return NormalizeUserMetadata(&meta->user_meta);
}

void AddObjectHeaders(const storage::ObjectMeta& meta, bool with_checksums, Response* r) {
  r->Set("ETag", QuotedEtag(meta.etag));
  r->Set("Last-Modified", FormatRfc1123(meta.mtime_ms / 1000));
  r->Set("Content-Type", meta.content_type);
  r->Set("Accept-Ranges", "bytes");
  for (const auto& [name, value] : meta.system_headers) {
    std::string_view spelled = name;
    for (const auto& [lower, canonical] : kCanonicalNames) {
      if (lower == name) spelled = canonical;
    }
    r->Set(std::string(spelled), value);
  }
  for (const auto& [name, value] : meta.user_meta) {
    r->Set(std::string(kUserMetaPrefix) + name, value);
  }
  if (!meta.tags.empty()) r->Set("x-amz-tagging-count", std::to_string(meta.tags.size()));
  if (with_checksums) {
    for (const auto& [alg, value] : meta.checksums) {
      r->Set("x-amz-checksum-" + alg, value);
      r->Set("x-amz-checksum-type", std::string(ChecksumTypeName(StoredChecksumType(value))));
    }
  }
}

}  // namespace kumo::s3
