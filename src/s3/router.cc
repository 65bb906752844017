#include "s3/router.h"

#include <cctype>
#include <string>
#include <string_view>

#include "s3/ops.h"

namespace kumo::s3 {

namespace {

enum class Level { kService, kBucket, kObject };

using Factory = std::unique_ptr<Operation> (*)();

struct RouteEntry {
  Level level;
  std::string_view method;
  std::string_view subresource;  // "" for the plain resource
  Factory factory;
};

// PUT with x-amz-copy-source copies (CopyObject, UploadPartCopy), list-type=2 selects
// ListObjectsV2: decided in Route.
std::unique_ptr<Operation> PutOrCopy() { return nullptr; }
std::unique_ptr<Operation> PartOrPartCopy() { return nullptr; }
std::unique_ptr<Operation> ListV1OrV2() { return nullptr; }

constexpr RouteEntry kRoutes[] = {
    {Level::kService, "GET", "", &MakeListBuckets},
    {Level::kBucket, "PUT", "", &MakeCreateBucket},
    {Level::kBucket, "HEAD", "", &MakeHeadBucket},
    {Level::kBucket, "DELETE", "", &MakeDeleteBucket},
    {Level::kBucket, "GET", "", &ListV1OrV2},
    {Level::kBucket, "GET", "location", &MakeGetBucketLocation},
    {Level::kBucket, "POST", "delete", &MakeDeleteObjects},
    {Level::kBucket, "POST", "", &MakePostObject},
    {Level::kObject, "PUT", "", &PutOrCopy},
    {Level::kObject, "GET", "", &MakeGetObject},
    {Level::kObject, "HEAD", "", &MakeHeadObject},
    {Level::kObject, "DELETE", "", &MakeDeleteObject},
    {Level::kObject, "GET", "partNumber", &MakeGetObject},
    {Level::kObject, "HEAD", "partNumber", &MakeHeadObject},
    {Level::kBucket, "GET", "uploads", &MakeListMultipartUploads},
    {Level::kBucket, "PUT", "notification", &MakePutBucketNotification},
    {Level::kBucket, "GET", "notification", &MakeGetBucketNotification},
    {Level::kBucket, "PUT", "tagging", &MakePutBucketTagging},
    {Level::kBucket, "GET", "tagging", &MakeGetBucketTagging},
    {Level::kBucket, "DELETE", "tagging", &MakeDeleteBucketTagging},
    {Level::kObject, "POST", "uploads", &MakeCreateMultipartUpload},
    {Level::kObject, "PUT", "uploadId", &PartOrPartCopy},
    {Level::kObject, "POST", "uploadId", &MakeCompleteMultipartUpload},
    {Level::kObject, "DELETE", "uploadId", &MakeAbortMultipartUpload},
    {Level::kObject, "GET", "uploadId", &MakeListParts},
    {Level::kBucket, "PUT", "policy", &MakePutBucketPolicy},
    {Level::kBucket, "GET", "policy", &MakeGetBucketPolicy},
    {Level::kBucket, "DELETE", "policy", &MakeDeleteBucketPolicy},
    {Level::kBucket, "GET", "policyStatus", &MakeGetBucketPolicyStatus},
    {Level::kBucket, "PUT", "ownershipControls", &MakePutBucketOwnershipControls},
    {Level::kBucket, "GET", "ownershipControls", &MakeGetBucketOwnershipControls},
    {Level::kBucket, "DELETE", "ownershipControls", &MakeDeleteBucketOwnershipControls},
    {Level::kBucket, "PUT", "publicAccessBlock", &MakePutPublicAccessBlock},
    {Level::kBucket, "GET", "publicAccessBlock", &MakeGetPublicAccessBlock},
    {Level::kBucket, "DELETE", "publicAccessBlock", &MakeDeletePublicAccessBlock},
    {Level::kObject, "PUT", "tagging", &MakePutObjectTagging},
    {Level::kObject, "GET", "tagging", &MakeGetObjectTagging},
    {Level::kObject, "DELETE", "tagging", &MakeDeleteObjectTagging},
    {Level::kBucket, "GET", "acl", &MakeGetBucketAcl},
    {Level::kBucket, "PUT", "acl", &MakePutBucketAcl},
    {Level::kObject, "GET", "acl", &MakeGetObjectAcl},
    {Level::kObject, "PUT", "acl", &MakePutObjectAcl},
};

// Query parameters that select a different S3 API on the same resource, in precedence
// order (UploadPart carries both uploadId and partNumber).
constexpr std::string_view kSubresources[] = {"uploadId",
                                              "uploads",
                                              "accelerate",
                                              "acl",
                                              "analytics",
                                              "attributes",
                                              "cors",
                                              "delete",
                                              "encryption",
                                              "intelligent-tiering",
                                              "inventory",
                                              "legal-hold",
                                              "lifecycle",
                                              "location",
                                              "logging",
                                              "metrics",
                                              "notification",
                                              "object-lock",
                                              "ownershipControls",
                                              "policy",
                                              "policyStatus",
                                              "publicAccessBlock",
                                              "replication",
                                              "requestPayment",
                                              "restore",
                                              "retention",
                                              "select",
                                              "tagging",
                                              "torrent",
                                              "uploadId",
                                              "uploads",
                                              "versionId",
                                              "versioning",
                                              "versions",
                                              "website",
                                              "session",
                                              "metadataTable",
                                              "renameObject",
                                              "partNumber"};

std::string_view Subresource(const RequestContext& ctx) {
  for (auto s : kSubresources) {
    const std::string* value = ctx.Query(s);
    // versionId=null addresses the only version of an unversioned object.
    if (value != nullptr && !(s == "versionId" && *value == "null")) return s;
  }
  return "";
}

}  // namespace

Status ResolveAddressing(RequestContext& ctx) {
  auto path = UrlDecode(ctx.http.raw_path);
  if (!path) return {ErrorCode::kInvalidURI, "Couldn't parse the specified URI."};
  std::string_view p = *path;
  if (!p.empty() && p.front() == '/') p.remove_prefix(1);

  std::string domain = ctx.options->domain;
  std::string host = ctx.http.HeaderOr("host", "");
  if (size_t colon = host.rfind(':');
      colon != std::string::npos && host.find(']') == std::string::npos) {
    host.resize(colon);
  }
  // Host names are case-insensitive (DNS): "Photos.S3.Example.com" names bucket "photos"
  // under domain "s3.example.com". Bucket names are lower case, so lowering loses nothing.
  auto lower = [](std::string& s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  lower(host);
  lower(domain);
  if (!domain.empty() && host.size() > domain.size() + 1 &&
      host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
      host[host.size() - domain.size() - 1] == '.') {
    ctx.bucket = host.substr(0, host.size() - domain.size() - 1);
    ctx.key = std::string(p);
    return Status::OK();
  }
  size_t slash = p.find('/');
  if (slash == std::string_view::npos) {
    ctx.bucket = std::string(p);
    ctx.key.clear();
  } else {
    ctx.bucket = std::string(p.substr(0, slash));
    ctx.key = std::string(p.substr(slash + 1));
  }
  return Status::OK();
}

Result<std::unique_ptr<Operation>> Route(const RequestContext& ctx) {
  Level level = ctx.bucket.empty() ? Level::kService
                : ctx.key.empty()  ? Level::kBucket
                                   : Level::kObject;
  std::string_view sub = Subresource(ctx);
  bool resource_known = false;
  for (const auto& r : kRoutes) {
    if (r.level != level || r.subresource != sub) continue;
    resource_known = true;
    if (r.method != ctx.http.method) continue;
    bool copy = ctx.Header("x-amz-copy-source") != nullptr;
    if (r.factory == &PutOrCopy) return copy ? MakeCopyObject() : MakePutObject();
    if (r.factory == &PartOrPartCopy) return copy ? MakeUploadPartCopy() : MakeUploadPart();
    if (r.factory == &ListV1OrV2) {
      const std::string* type = ctx.Query("list-type");
      return type != nullptr && *type == "2" ? MakeListObjectsV2() : MakeListObjects();
    }
    return r.factory();
  }
  if (!sub.empty() && !resource_known) {
    return Status(ErrorCode::kNotImplemented,
                  "A header or query you provided implies functionality that is not "
                  "implemented: " +
                      std::string(sub));
  }
  return Status(ErrorCode::kMethodNotAllowed,
                "The specified method is not allowed against this resource.");
}

}  // namespace kumo::s3
