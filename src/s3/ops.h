// Factories of the S3 operations, one file per family (ops_bucket.cc, ops_get.cc, ...).
// Internal to src/s3; the router is their only user.
#pragma once

#include <memory>

#include "s3/operation.h"

namespace kumo::s3 {

std::unique_ptr<Operation> MakeListBuckets();
std::unique_ptr<Operation> MakeCreateBucket();
std::unique_ptr<Operation> MakeHeadBucket();
std::unique_ptr<Operation> MakeDeleteBucket();
std::unique_ptr<Operation> MakeGetBucketLocation();
std::unique_ptr<Operation> MakeListObjects();
std::unique_ptr<Operation> MakeListObjectsV2();  // list-type=2
std::unique_ptr<Operation> MakeDeleteObjects();
std::unique_ptr<Operation> MakePutObject();
std::unique_ptr<Operation> MakePostObject();  // browser uploads (multipart/form-data)
std::unique_ptr<Operation> MakeCopyObject();
std::unique_ptr<Operation> MakeGetObject();
std::unique_ptr<Operation> MakeHeadObject();  // GetObject without the body
std::unique_ptr<Operation> MakeDeleteObject();
std::unique_ptr<Operation> MakeCreateMultipartUpload();
std::unique_ptr<Operation> MakeUploadPart();
std::unique_ptr<Operation> MakeUploadPartCopy();
std::unique_ptr<Operation> MakeCompleteMultipartUpload();
std::unique_ptr<Operation> MakeAbortMultipartUpload();
std::unique_ptr<Operation> MakeListParts();
std::unique_ptr<Operation> MakeListMultipartUploads();
std::unique_ptr<Operation> MakePutBucketNotification();
std::unique_ptr<Operation> MakeGetBucketNotification();
std::unique_ptr<Operation> MakePutBucketTagging();
std::unique_ptr<Operation> MakeGetBucketTagging();
std::unique_ptr<Operation> MakeDeleteBucketTagging();
std::unique_ptr<Operation> MakePutObjectTagging();
std::unique_ptr<Operation> MakeGetObjectTagging();
std::unique_ptr<Operation> MakeDeleteObjectTagging();
std::unique_ptr<Operation> MakeGetBucketAcl();
std::unique_ptr<Operation> MakePutBucketAcl();
std::unique_ptr<Operation> MakeGetObjectAcl();
std::unique_ptr<Operation> MakePutObjectAcl();
// Deletes a bucket's access document `config` (bucket_access_config.h) as operation id.
std::unique_ptr<Operation> MakeDeleteAccessConfig(OpId id, std::string_view config);
std::unique_ptr<Operation> MakePutBucketPolicy();
std::unique_ptr<Operation> MakeGetBucketPolicy();
std::unique_ptr<Operation> MakeDeleteBucketPolicy();
std::unique_ptr<Operation> MakeGetBucketPolicyStatus();
std::unique_ptr<Operation> MakePutBucketOwnershipControls();
std::unique_ptr<Operation> MakeGetBucketOwnershipControls();
std::unique_ptr<Operation> MakeDeleteBucketOwnershipControls();
std::unique_ptr<Operation> MakePutPublicAccessBlock();
std::unique_ptr<Operation> MakeGetPublicAccessBlock();
std::unique_ptr<Operation> MakeDeletePublicAccessBlock();

}  // namespace kumo::s3
