#include "s3/errors.h"

#include <array>

#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

struct Entry {
  ErrorCode code;
  S3ErrorInfo info;
};

// Codes and statuses as documented in the S3 API reference "Error responses" table.
constexpr Entry kTable[] = {
    {ErrorCode::kInternalError, {500, "InternalError"}},
    {ErrorCode::kIOError, {500, "InternalError"}},
    {ErrorCode::kCorruption, {500, "InternalError"}},
    {ErrorCode::kNotImplemented, {501, "NotImplemented"}},
    {ErrorCode::kAccessDenied, {403, "AccessDenied"}},
    {ErrorCode::kAuthorizationHeaderMalformed, {400, "AuthorizationHeaderMalformed"}},
    {ErrorCode::kAuthorizationQueryParametersError, {400, "AuthorizationQueryParametersError"}},
    {ErrorCode::kBadDigest, {400, "BadDigest"}},
    {ErrorCode::kBucketAlreadyExists, {409, "BucketAlreadyExists"}},
    {ErrorCode::kBucketAlreadyOwnedByYou, {409, "BucketAlreadyOwnedByYou"}},
    {ErrorCode::kBucketNotEmpty, {409, "BucketNotEmpty"}},
    {ErrorCode::kEntityTooLarge, {400, "EntityTooLarge"}},
    {ErrorCode::kEntityTooSmall, {400, "EntityTooSmall"}},
    {ErrorCode::kExpiredRequest, {403, "AccessDenied"}},
    {ErrorCode::kIncompleteBody, {400, "IncompleteBody"}},
    {ErrorCode::kInvalidAccessKeyId, {403, "InvalidAccessKeyId"}},
    {ErrorCode::kInvalidArgument, {400, "InvalidArgument"}},
    {ErrorCode::kInvalidBucketName, {400, "InvalidBucketName"}},
    {ErrorCode::kInvalidDigest, {400, "InvalidDigest"}},
    {ErrorCode::kInvalidPart, {400, "InvalidPart"}},
    {ErrorCode::kInvalidPartOrder, {400, "InvalidPartOrder"}},
    {ErrorCode::kInvalidPartNumber, {416, "InvalidPartNumber"}},
    {ErrorCode::kInvalidRange, {416, "InvalidRange"}},
    {ErrorCode::kInvalidRequest, {400, "InvalidRequest"}},
    {ErrorCode::kInvalidStorageClass, {400, "InvalidStorageClass"}},
    {ErrorCode::kKeyTooLongError, {400, "KeyTooLongError"}},
    {ErrorCode::kMalformedXML, {400, "MalformedXML"}},
    {ErrorCode::kMetadataTooLarge, {400, "MetadataTooLarge"}},
    {ErrorCode::kMethodNotAllowed, {405, "MethodNotAllowed"}},
    {ErrorCode::kMissingContentLength, {411, "MissingContentLength"}},
    {ErrorCode::kNoSuchBucket, {404, "NoSuchBucket"}},
    {ErrorCode::kNoSuchKey, {404, "NoSuchKey"}},
    {ErrorCode::kNoSuchUpload, {404, "NoSuchUpload"}},
    {ErrorCode::kNotModified, {304, "NotModified"}},
    {ErrorCode::kPreconditionFailed, {412, "PreconditionFailed"}},
    {ErrorCode::kRequestTimeout, {400, "RequestTimeout"}},
    {ErrorCode::kRequestTimeTooSkewed, {403, "RequestTimeTooSkewed"}},
    {ErrorCode::kSignatureDoesNotMatch, {403, "SignatureDoesNotMatch"}},
    {ErrorCode::kSlowDown, {503, "SlowDown"}},
    {ErrorCode::kXAmzContentSHA256Mismatch, {400, "XAmzContentSHA256Mismatch"}},
    {ErrorCode::kInvalidURI, {400, "InvalidURI"}},
    {ErrorCode::kServiceUnavailable, {503, "ServiceUnavailable"}},
    {ErrorCode::kInvalidPolicyDocument, {400, "InvalidPolicyDocument"}},
    {ErrorCode::kMalformedPOSTRequest, {400, "MalformedPOSTRequest"}},
    {ErrorCode::kMaxPostPreDataLengthExceeded, {400, "MaxPostPreDataLengthExceededError"}},
    {ErrorCode::kInvalidTag, {400, "InvalidTag"}},
    {ErrorCode::kNoSuchTagSet, {404, "NoSuchTagSet"}},
    {ErrorCode::kBadRequest, {400, "BadRequest"}},
    {ErrorCode::kMalformedPolicy, {400, "MalformedPolicy"}},
    {ErrorCode::kMalformedACLError, {400, "MalformedACLError"}},
    {ErrorCode::kUnresolvableGrantByEmailAddress, {400, "UnresolvableGrantByEmailAddress"}},
    {ErrorCode::kAccessControlListNotSupported, {400, "AccessControlListNotSupported"}},
    {ErrorCode::kInvalidBucketAclWithObjectOwnership, {400, "InvalidBucketAclWithObjectOwnership"}},
    {ErrorCode::kUnexpectedContent, {400, "UnexpectedContent"}},
    {ErrorCode::kNoSuchBucketPolicy, {404, "NoSuchBucketPolicy"}},
    {ErrorCode::kOwnershipControlsNotFoundError, {404, "OwnershipControlsNotFoundError"}},
    {ErrorCode::kNoSuchPublicAccessBlockConfiguration,
     {404, "NoSuchPublicAccessBlockConfiguration"}},
};

constexpr auto BuildIndex() {
  std::array<S3ErrorInfo, static_cast<size_t>(ErrorCode::kCount)> index{};
  for (auto& e : index) e = {500, "InternalError"};
  for (const auto& e : kTable) index[static_cast<size_t>(e.code)] = e.info;
  return index;
}
constexpr auto kIndex = BuildIndex();

}  // namespace

S3ErrorInfo ErrorInfoFor(ErrorCode code) {
  auto i = static_cast<size_t>(code);
  return i < kIndex.size() ? kIndex[i] : S3ErrorInfo{500, "InternalError"};
}

Response ErrorResponse(const Status& status, std::string_view resource, std::string_view request_id,
                       bool is_head) {
  S3ErrorInfo info = ErrorInfoFor(status.code());
  Response r;
  r.status = info.http_status;
  if (info.http_status == 304) {
    r.omit_body = true;  // 304 never carries a body
    return r;
  }
  XmlWriter xml("Error", /*with_namespace=*/false);
  xml.Text("Code", info.code);
  // Internal errors keep their detail in the log, not in the response.
  xml.Text("Message", info.http_status >= 500 && status.code() != ErrorCode::kNotImplemented
                          ? std::string("We encountered an internal error. Please try again.")
                          : status.message());
  xml.Text("Resource", resource);
  xml.Text("RequestId", request_id);
  r.Set("Content-Type", "application/xml");
  r.body = xml.Finish();
  r.omit_body = is_head;
  return r;
}

}  // namespace kumo::s3
