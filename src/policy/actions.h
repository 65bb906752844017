// The actions of the policy language: the S3 IAM action names Kumo authorizes, plus
// kumo:Admin for the /_kumo/ admin API, kumo:PutCatalogAttributes for the catalog calls
// of functions and kumo:CatalogSql for read-only catalog SQL (POST /_kumo/sql). A
// statement's Action element is compiled once, at
// parse time, into an ActionSet (a bit per action), so evaluation tests one bit.
// Constant tables and pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kumo::policy {

inline constexpr std::string_view kActionNames[] = {
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListAllMyBuckets",
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:GetObjectTagging",
    "s3:PutObjectTagging",
    "s3:DeleteObjectTagging",
    "s3:GetBucketTagging",
    "s3:PutBucketTagging",
    "s3:GetBucketNotification",
    "s3:PutBucketNotification",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketAcl",
    "s3:PutBucketAcl",
    "s3:GetObjectAcl",
    "s3:PutObjectAcl",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:ListBucketMultipartUploads",
    "s3:GetBucketOwnershipControls",
    "s3:PutBucketOwnershipControls",
    "s3:GetBucketPublicAccessBlock",
    "s3:PutBucketPublicAccessBlock",
    "s3:GetBucketLocation",
    "s3:GetObjectVersion",
    "s3:DeleteObjectVersion",
    "kumo:Admin",
    "kumo:PutCatalogAttributes",
    "kumo:CatalogSql",
};
inline constexpr size_t kActionCount = std::size(kActionNames);

// What kind of resource each action acts on (kActionResources[i] for kActionNames[i]):
// S3 rejects a statement whose action applies to none of its resources.
enum class ResourceKind : uint8_t {
  kObject = 1,   // arn:aws:s3:::bucket/key
  kBucket = 2,   // arn:aws:s3:::bucket
  kService = 4,  // "*": ListAllMyBuckets, kumo:Admin, kumo:CatalogSql
};
inline constexpr ResourceKind kActionResources[] = {
    ResourceKind::kObject,   // GetObject
    ResourceKind::kObject,   // PutObject
    ResourceKind::kObject,   // DeleteObject
    ResourceKind::kBucket,   // ListBucket
    ResourceKind::kBucket,   // ListBucketVersions
    ResourceKind::kService,  // ListAllMyBuckets
    ResourceKind::kBucket,   // CreateBucket
    ResourceKind::kBucket,   // DeleteBucket
    ResourceKind::kObject,   // GetObjectTagging
    ResourceKind::kObject,   // PutObjectTagging
    ResourceKind::kObject,   // DeleteObjectTagging
    ResourceKind::kBucket,   // GetBucketTagging
    ResourceKind::kBucket,   // PutBucketTagging
    ResourceKind::kBucket,   // GetBucketNotification
    ResourceKind::kBucket,   // PutBucketNotification
    ResourceKind::kBucket,   // GetBucketPolicy
    ResourceKind::kBucket,   // PutBucketPolicy
    ResourceKind::kBucket,   // DeleteBucketPolicy
    ResourceKind::kBucket,   // GetBucketPolicyStatus
    ResourceKind::kBucket,   // GetBucketAcl
    ResourceKind::kBucket,   // PutBucketAcl
    ResourceKind::kObject,   // GetObjectAcl
    ResourceKind::kObject,   // PutObjectAcl
    ResourceKind::kObject,   // AbortMultipartUpload
    ResourceKind::kObject,   // ListMultipartUploadParts
    ResourceKind::kBucket,   // ListBucketMultipartUploads
    ResourceKind::kBucket,   // GetBucketOwnershipControls
    ResourceKind::kBucket,   // PutBucketOwnershipControls
    ResourceKind::kBucket,   // GetBucketPublicAccessBlock
    ResourceKind::kBucket,   // PutBucketPublicAccessBlock
    ResourceKind::kBucket,   // GetBucketLocation
    ResourceKind::kObject,   // GetObjectVersion
    ResourceKind::kObject,   // DeleteObjectVersion
    ResourceKind::kService,  // kumo:Admin
    ResourceKind::kObject,   // kumo:PutCatalogAttributes (a function's catalog_put)
    ResourceKind::kService,  // kumo:CatalogSql
};
static_assert(std::size(kActionResources) == kActionCount, "a resource kind per action");

// One bit per entry of kActionNames, plus kOtherActionBit for any action name outside the
// table: only the pattern "*" covers those.
using ActionSet = uint64_t;
inline constexpr int kOtherActionBit = 63;
static_assert(kActionCount < kOtherActionBit, "ActionSet has a bit per action");

// The index of an action in kActionNames, matched case-insensitively; nullopt if unknown.
std::optional<size_t> ActionIndex(std::string_view action);

// The bit of an action (a request's action, e.g. "s3:GetObject"): its own, or
// kOtherActionBit for a name outside the table.
ActionSet ActionBit(std::string_view action);

// Compiles one value of an Action / NotAction element: "*", a known action, or a pattern
// with '*' / '?' such as "s3:Get*", all matched case-insensitively as IAM does. Returns
// nullopt when the value names no known action (S3 rejects such a policy).
std::optional<ActionSet> CompileActionPattern(std::string_view pattern);

}  // namespace kumo::policy
