#include "s3/operation_names.h"

#include <iterator>

namespace kumo::s3 {

namespace {

using enum ResourceKind;

// Names: the S3 API reference. Actions: "Actions, resources, and condition keys for
// Amazon S3" (Service Authorization Reference). Where the action differs from the name:
// HeadObject needs s3:GetObject, HeadBucket s3:ListBucket, DeleteBucketTagging
// s3:PutBucketTagging, the multipart steps s3:PutObject, DeleteObjects s3:DeleteObject
// (for each key it names), DeleteBucketOwnershipControls s3:PutBucketOwnershipControls,
// the public access block's actions s3:{Put,Get}BucketPublicAccessBlock (Delete: Put).
constexpr OpInfo kOpInfo[] = {
    {OpId::kListBuckets, "ListBuckets", "s3:ListAllMyBuckets", kAll},
    {OpId::kCreateBucket, "CreateBucket", "s3:CreateBucket", kBucket},
    {OpId::kHeadBucket, "HeadBucket", "s3:ListBucket", kBucket},
    {OpId::kDeleteBucket, "DeleteBucket", "s3:DeleteBucket", kBucket},
    {OpId::kGetBucketLocation, "GetBucketLocation", "s3:GetBucketLocation", kBucket},
    {OpId::kListObjects, "ListObjects", "s3:ListBucket", kBucket},
    {OpId::kListObjectsV2, "ListObjectsV2", "s3:ListBucket", kBucket},
    {OpId::kDeleteObjects, "DeleteObjects", "s3:DeleteObject", kObject},
    {OpId::kPostObject, "PostObject", "s3:PutObject", kObject},
    {OpId::kPutObject, "PutObject", "s3:PutObject", kObject},
    {OpId::kCopyObject, "CopyObject", "s3:PutObject", kObject},
    {OpId::kGetObject, "GetObject", "s3:GetObject", kObject},
    {OpId::kHeadObject, "HeadObject", "s3:GetObject", kObject},
    {OpId::kDeleteObject, "DeleteObject", "s3:DeleteObject", kObject},
    {OpId::kCreateMultipartUpload, "CreateMultipartUpload", "s3:PutObject", kObject},
    {OpId::kUploadPart, "UploadPart", "s3:PutObject", kObject},
    {OpId::kUploadPartCopy, "UploadPartCopy", "s3:PutObject", kObject},
    {OpId::kCompleteMultipartUpload, "CompleteMultipartUpload", "s3:PutObject", kObject},
    {OpId::kAbortMultipartUpload, "AbortMultipartUpload", "s3:AbortMultipartUpload", kObject},
    {OpId::kListParts, "ListParts", "s3:ListMultipartUploadParts", kObject},
    {OpId::kListMultipartUploads, "ListMultipartUploads", "s3:ListBucketMultipartUploads", kBucket},
    {OpId::kPutBucketNotificationConfiguration, "PutBucketNotificationConfiguration",
     "s3:PutBucketNotification", kBucket},
    {OpId::kGetBucketNotificationConfiguration, "GetBucketNotificationConfiguration",
     "s3:GetBucketNotification", kBucket},
    {OpId::kPutBucketTagging, "PutBucketTagging", "s3:PutBucketTagging", kBucket},
    {OpId::kGetBucketTagging, "GetBucketTagging", "s3:GetBucketTagging", kBucket},
    {OpId::kDeleteBucketTagging, "DeleteBucketTagging", "s3:PutBucketTagging", kBucket},
    {OpId::kPutObjectTagging, "PutObjectTagging", "s3:PutObjectTagging", kObject},
    {OpId::kGetObjectTagging, "GetObjectTagging", "s3:GetObjectTagging", kObject},
    {OpId::kDeleteObjectTagging, "DeleteObjectTagging", "s3:DeleteObjectTagging", kObject},
    {OpId::kGetBucketAcl, "GetBucketAcl", "s3:GetBucketAcl", kBucket},
    {OpId::kPutBucketAcl, "PutBucketAcl", "s3:PutBucketAcl", kBucket},
    {OpId::kGetObjectAcl, "GetObjectAcl", "s3:GetObjectAcl", kObject},
    {OpId::kPutObjectAcl, "PutObjectAcl", "s3:PutObjectAcl", kObject},
    {OpId::kPutBucketPolicy, "PutBucketPolicy", "s3:PutBucketPolicy", kBucket},
    {OpId::kGetBucketPolicy, "GetBucketPolicy", "s3:GetBucketPolicy", kBucket},
    {OpId::kDeleteBucketPolicy, "DeleteBucketPolicy", "s3:DeleteBucketPolicy", kBucket},
    {OpId::kGetBucketPolicyStatus, "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", kBucket},
    {OpId::kPutBucketOwnershipControls, "PutBucketOwnershipControls",
     "s3:PutBucketOwnershipControls", kBucket},
    {OpId::kGetBucketOwnershipControls, "GetBucketOwnershipControls",
     "s3:GetBucketOwnershipControls", kBucket},
    {OpId::kDeleteBucketOwnershipControls, "DeleteBucketOwnershipControls",
     "s3:PutBucketOwnershipControls", kBucket},
    {OpId::kPutPublicAccessBlock, "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", kBucket},
    {OpId::kGetPublicAccessBlock, "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", kBucket},
    {OpId::kDeletePublicAccessBlock, "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock",
     kBucket},
};

constexpr bool InOrder() {
  if (std::size(kOpInfo) != kOpCount) return false;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (static_cast<size_t>(kOpInfo[i].id) != i) return false;
  }
  return true;
}
static_assert(InOrder(), "kOpInfo must list every OpId once, in enum order");

}  // namespace

const OpInfo& InfoOf(OpId id) { return kOpInfo[static_cast<size_t>(id)]; }

std::string BucketArn(std::string_view bucket) {
  return std::string("arn:aws:s3:::").append(bucket);
}

std::string ObjectArn(std::string_view bucket, std::string_view key) {
  return BucketArn(bucket).append("/").append(key);
}

}  // namespace kumo::s3
