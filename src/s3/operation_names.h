// The S3 operations Kumo serves: for each, its S3 API name, its IAM action and the kind of
// resource it acts on, in one table (operation_names.cc). Thread-safe (constant data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kumo::s3 {

// One value per S3 API operation the router can select. Keep kOpInfo in order.
enum class OpId : uint8_t {
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kListObjects,
  kListObjectsV2,
  kDeleteObjects,
  kPostObject,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kListMultipartUploads,
  kPutBucketNotificationConfiguration,
  kGetBucketNotificationConfiguration,
  kPutBucketTagging,
  kGetBucketTagging,
  kDeleteBucketTagging,
  kPutObjectTagging,
  kGetObjectTagging,
  kDeleteObjectTagging,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kPutBucketPolicy,
  kGetBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kPutBucketOwnershipControls,
  kGetBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  kPutPublicAccessBlock,
  kGetPublicAccessBlock,
  kDeletePublicAccessBlock,
};
inline constexpr size_t kOpCount = static_cast<size_t>(OpId::kDeletePublicAccessBlock) + 1;

// What an operation's IAM action applies to.
enum class ResourceKind : uint8_t {
  kAll,     // "*": ListBuckets
  kBucket,  // arn:aws:s3:::bucket
  kObject,  // arn:aws:s3:::bucket/key
};

struct OpInfo {
  OpId id;
  std::string_view name;    // as AWS names the API: "DeleteBucket"
  std::string_view action;  // IAM action: "s3:DeleteBucket"
  ResourceKind resource;
};

const OpInfo& InfoOf(OpId id);

// "arn:aws:s3:::bucket" and "arn:aws:s3:::bucket/key".
std::string BucketArn(std::string_view bucket);
std::string ObjectArn(std::string_view bucket, std::string_view key);

}  // namespace kumo::s3
