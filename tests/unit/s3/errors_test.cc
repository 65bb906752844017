#include "s3/errors.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <set>
#include <string>

namespace kumo::s3 {
namespace {

struct Expected {
  ErrorCode code;
  int http_status;
  std::string_view s3_code;
};

TEST(ErrorInfoForTest, RepresentativeCodes) {
  const Expected kCases[] = {
      {ErrorCode::kNoSuchKey, 404, "NoSuchKey"},
      {ErrorCode::kNoSuchBucket, 404, "NoSuchBucket"},
      {ErrorCode::kNoSuchUpload, 404, "NoSuchUpload"},
      {ErrorCode::kBucketNotEmpty, 409, "BucketNotEmpty"},
      {ErrorCode::kBucketAlreadyOwnedByYou, 409, "BucketAlreadyOwnedByYou"},
      {ErrorCode::kInvalidRange, 416, "InvalidRange"},
      {ErrorCode::kPreconditionFailed, 412, "PreconditionFailed"},
      {ErrorCode::kNotModified, 304, "NotModified"},
      {ErrorCode::kSignatureDoesNotMatch, 403, "SignatureDoesNotMatch"},
      {ErrorCode::kAccessDenied, 403, "AccessDenied"},
      {ErrorCode::kExpiredRequest, 403, "AccessDenied"},
      {ErrorCode::kRequestTimeTooSkewed, 403, "RequestTimeTooSkewed"},
      {ErrorCode::kInvalidAccessKeyId, 403, "InvalidAccessKeyId"},
      {ErrorCode::kIOError, 500, "InternalError"},
      {ErrorCode::kCorruption, 500, "InternalError"},
      {ErrorCode::kInternalError, 500, "InternalError"},
      {ErrorCode::kNotImplemented, 501, "NotImplemented"},
      {ErrorCode::kMissingContentLength, 411, "MissingContentLength"},
      {ErrorCode::kMethodNotAllowed, 405, "MethodNotAllowed"},
      {ErrorCode::kInvalidBucketName, 400, "InvalidBucketName"},
      {ErrorCode::kKeyTooLongError, 400, "KeyTooLongError"},
      {ErrorCode::kMetadataTooLarge, 400, "MetadataTooLarge"},
      {ErrorCode::kBadDigest, 400, "BadDigest"},
      {ErrorCode::kSlowDown, 503, "SlowDown"},
      {ErrorCode::kInvalidTag, 400, "InvalidTag"},
      {ErrorCode::kBadRequest, 400, "BadRequest"},
      {ErrorCode::kMalformedPolicy, 400, "MalformedPolicy"},
      {ErrorCode::kMalformedACLError, 400, "MalformedACLError"},
      {ErrorCode::kUnresolvableGrantByEmailAddress, 400, "UnresolvableGrantByEmailAddress"},
      {ErrorCode::kAccessControlListNotSupported, 400, "AccessControlListNotSupported"},
      {ErrorCode::kInvalidBucketAclWithObjectOwnership, 400, "InvalidBucketAclWithObjectOwnership"},
      {ErrorCode::kUnexpectedContent, 400, "UnexpectedContent"},
      {ErrorCode::kNoSuchBucketPolicy, 404, "NoSuchBucketPolicy"},
      {ErrorCode::kOwnershipControlsNotFoundError, 404, "OwnershipControlsNotFoundError"},
      {ErrorCode::kNoSuchPublicAccessBlockConfiguration, 404,
       "NoSuchPublicAccessBlockConfiguration"},
  };
  for (const auto& c : kCases) {
    S3ErrorInfo info = ErrorInfoFor(c.code);
    EXPECT_EQ(info.http_status, c.http_status) << c.s3_code;
    EXPECT_EQ(info.code, c.s3_code);
  }
}

TEST(ErrorInfoForTest, OnlyEngineErrorsAreUnmapped) {
  // Every S3 request error has its own table row; only the generic engine failures fall
  // back to 500 InternalError. Catches a code added to error_code.h but not to the table.
  const std::set<ErrorCode> kInternal = {ErrorCode::kInternalError, ErrorCode::kIOError,
                                         ErrorCode::kCorruption};
  for (int i = 1; i < static_cast<int>(ErrorCode::kCount); ++i) {
    auto code = static_cast<ErrorCode>(i);
    S3ErrorInfo info = ErrorInfoFor(code);
    if (kInternal.count(code)) {
      EXPECT_EQ(info.http_status, 500) << i;
    } else {
      EXPECT_NE(info.code, "InternalError") << "ErrorCode " << i << " is not in the table";
    }
  }
}

TEST(ErrorInfoForTest, OutOfRangeCodeIsInternalError) {
  S3ErrorInfo info = ErrorInfoFor(static_cast<ErrorCode>(60000));
  EXPECT_EQ(info.http_status, 500);
  EXPECT_EQ(info.code, "InternalError");
  info = ErrorInfoFor(ErrorCode::kCount);
  EXPECT_EQ(info.http_status, 500);
  EXPECT_EQ(info.code, "InternalError");
}

const std::string* FindHeader(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

// Parses an error body; fails the test when it is not well-formed.
pugi::xml_node ParseError(pugi::xml_document& doc, const std::string& body) {
  pugi::xml_parse_result parsed = doc.load_string(body.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << "\n" << body;
  pugi::xml_node root = doc.document_element();
  EXPECT_STREQ(root.name(), "Error") << body;
  return root;
}

TEST(ErrorResponseTest, RendersCodeMessageResourceAndRequestId) {
  Response r = ErrorResponse(Status::NoSuchKey("The specified key does not exist."),
                             "/bucket/photos/cat.jpg", "0123456789ABCDEF", /*is_head=*/false);
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.omit_body);
  ASSERT_NE(FindHeader(r, "Content-Type"), nullptr);
  EXPECT_EQ(*FindHeader(r, "Content-Type"), "application/xml");
  EXPECT_EQ(r.body.rfind("<?xml", 0), 0u) << r.body;

  pugi::xml_document doc;
  pugi::xml_node root = ParseError(doc, r.body);
  EXPECT_STREQ(root.child_value("Code"), "NoSuchKey");
  EXPECT_STREQ(root.child_value("Message"), "The specified key does not exist.");
  EXPECT_STREQ(root.child_value("Resource"), "/bucket/photos/cat.jpg");
  EXPECT_STREQ(root.child_value("RequestId"), "0123456789ABCDEF");
  // S3 error documents carry no namespace.
  EXPECT_TRUE(root.attribute("xmlns").empty()) << r.body;
  EXPECT_EQ(r.content_length(), r.body.size());
}

TEST(ErrorResponseTest, EscapesMessageAndResource) {
  Response r = ErrorResponse(Status(ErrorCode::kInvalidArgument, "bad <arg> & \"quote\""),
                             "/b/a&b<c>", "ID", false);
  EXPECT_EQ(r.status, 400);
  pugi::xml_document doc;
  pugi::xml_node root = ParseError(doc, r.body);
  EXPECT_STREQ(root.child_value("Code"), "InvalidArgument");
  EXPECT_STREQ(root.child_value("Message"), "bad <arg> & \"quote\"");
  EXPECT_STREQ(root.child_value("Resource"), "/b/a&b<c>");
}

TEST(ErrorResponseTest, ExpiredRequestIsAccessDenied) {
  Response r =
      ErrorResponse(Status(ErrorCode::kExpiredRequest, "Request has expired"), "/b/k", "ID", false);
  EXPECT_EQ(r.status, 403);
  pugi::xml_document doc;
  EXPECT_STREQ(ParseError(doc, r.body).child_value("Code"), "AccessDenied");
  EXPECT_STREQ(ParseError(doc, r.body).child_value("Message"), "Request has expired");
}

TEST(ErrorResponseTest, HeadOmitsBodyButKeepsStatus) {
  Response r = ErrorResponse(Status::NoSuchKey(), "/b/k", "ID", /*is_head=*/true);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.omit_body);
  Response get = ErrorResponse(Status::NoSuchKey(), "/b/k", "ID", /*is_head=*/false);
  EXPECT_FALSE(get.omit_body);
}

TEST(ErrorResponseTest, InternalErrorsHideTheMessage) {
  const std::string secret = "pwrite /var/lib/kumo/blobs/seg-42: No space left on device";
  for (Status s : {Status::IOError(secret), Status::Internal(secret), Status::Corruption(secret),
                   Status(ErrorCode::kServiceUnavailable, secret)}) {
    Response r = ErrorResponse(s, "/b/k", "ID", false);
    EXPECT_GE(r.status, 500);
    EXPECT_EQ(r.body.find("seg-42"), std::string::npos) << r.body;
    pugi::xml_document doc;
    pugi::xml_node root = ParseError(doc, r.body);
    EXPECT_STRNE(root.child_value("Message"), "") << r.body;
    EXPECT_STREQ(root.child_value("Resource"), "/b/k");
  }
  Response r = ErrorResponse(Status::IOError(secret), "/b/k", "ID", false);
  EXPECT_EQ(r.status, 500);
  pugi::xml_document doc;
  EXPECT_STREQ(ParseError(doc, r.body).child_value("Code"), "InternalError");
}

TEST(ErrorResponseTest, NotImplementedKeepsItsMessage) {
  Response r = ErrorResponse(Status(ErrorCode::kNotImplemented, "acl is not implemented"), "/b",
                             "ID", false);
  EXPECT_EQ(r.status, 501);
  pugi::xml_document doc;
  EXPECT_STREQ(ParseError(doc, r.body).child_value("Message"), "acl is not implemented");
}

TEST(ErrorResponseTest, NotModifiedHasNoBody) {
  Response r = ErrorResponse(Status(ErrorCode::kNotModified, "Not Modified"), "/b/k", "ID", false);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.omit_body);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(FindHeader(r, "Content-Type"), nullptr);
}

}  // namespace
}  // namespace kumo::s3
