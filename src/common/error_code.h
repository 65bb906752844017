// The error space of Kumo. Every failure inside the server is one of these codes;
// src/s3/errors.cc is the one place that maps a code to an HTTP status and the S3
// error code string. Plain enum, no dependencies: safe to include everywhere.
#pragma once

#include <cstdint>

namespace kumo {

enum class ErrorCode : uint16_t {
  kOk = 0,
  // Generic engine errors (mapped to 500 InternalError unless noted in the table).
  kInternalError,
  kIOError,
  kCorruption,
  kNotImplemented,
  // S3 request errors.
  kAccessDenied,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredRequest,  // presigned URL past X-Amz-Expires: S3 answers AccessDenied
  kIncompleteBody,
  kInvalidAccessKeyId,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidPart,
  kInvalidPartOrder,
  kInvalidPartNumber,
  kInvalidRange,
  kInvalidRequest,
  kInvalidStorageClass,
  kKeyTooLongError,
  kMalformedXML,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kNotModified,
  kPreconditionFailed,
  kRequestTimeout,
  kRequestTimeTooSkewed,
  kSignatureDoesNotMatch,
  kSlowDown,
  kXAmzContentSHA256Mismatch,
  kInvalidURI,
  kServiceUnavailable,
  // Browser POST uploads: a policy that is not base64 JSON of the right shape, a body
  // that is not multipart/form-data, too many bytes before the file.
  kInvalidPolicyDocument,
  kMalformedPOSTRequest,
  kMaxPostPreDataLengthExceeded,
  // Object tagging: a tag that fails validation (S3's InvalidTag), and S3's generic
  // BadRequest, which it answers for more than 10 tags on an object.
  kInvalidTag,
  kBadRequest,
  // GetBucketTagging on a bucket without tags.
  kNoSuchTagSet,
  // A bucket or user policy that is not valid JSON of the IAM policy language.
  kMalformedPolicy,
  // ACLs: an AccessControlPolicy that does not validate, an email grantee, an ACL on a
  // bucket whose ownership is BucketOwnerEnforced, a body where headers set the ACL.
  kMalformedACLError,
  kUnresolvableGrantByEmailAddress,
  kAccessControlListNotSupported,
  kInvalidBucketAclWithObjectOwnership,
  kUnexpectedContent,
  // GetBucketPolicy / GetBucketPolicyStatus, GetBucketOwnershipControls and
  // GetPublicAccessBlock on a bucket without that configuration.
  kNoSuchBucketPolicy,
  kOwnershipControlsNotFoundError,
  kNoSuchPublicAccessBlockConfiguration,
  // BucketOwnerEnforced on a bucket whose ACL grants to others than its owner.
  kCount  // keep last
};

}  // namespace kumo
