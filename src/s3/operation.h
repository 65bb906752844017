// One S3 operation: a fixed pipeline parse -> authenticate -> route -> authorize
// (authorize.h; all three done by the service) -> prepare -> [consume body] -> execute
// -> render. An operation never sees a socket, so it is unit-testable with a
// RequestContext alone.
//
// [Threading] Prepare and Consume run on an I/O thread and must not block for long;
// Execute may block (fsync, index commits) and runs on the blocking pool.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "s3/operation_names.h"
#include "s3/request_context.h"
#include "s3/response.h"
#include "s3/xml_depth.h"

namespace kumo::s3 {

// One IAM action on one resource ARN that a request needs ("s3:GetObject" on
// "arn:aws:s3:::bucket/key").
struct Permission {
  std::string_view action;
  std::string resource;
  // The object or bucket the request creates (s3:PutObjectAcl / s3:PutBucketAcl for the
  // ACL a write sets): object ACLs judge it as the writer's own new object, not as
  // whatever the key holds now; a new bucket only an explicit Deny refuses.
  bool new_object = false;

  bool operator==(const Permission&) const = default;
};

class Operation {
 public:
  explicit Operation(OpId id) : id_(id) {}
  virtual ~Operation() = default;

  OpId id() const { return id_; }
  // The S3 API name of the operation, as AWS spells it: "DeleteBucket".
  std::string_view Name() const { return InfoOf(id_).name; }
  // Its IAM action: "s3:DeleteBucket".
  std::string_view Action() const { return InfoOf(id_).action; }
  // Every (action, resource) the request needs, the operation's own first: Action() on
  // the bucket or object ctx addresses ("*" for ListBuckets). CopyObject and
  // UploadPartCopy add s3:GetObject on their source. Not checked yet (see authorize.h).
  // Errors: kInvalidArgument for a malformed x-amz-copy-source.
  virtual Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const;

  // Validates the request head; an error is answered before any body byte is read.
  virtual Status Prepare(RequestContext& /*ctx*/) { return Status::OK(); }
  // Whether the operation reads a request body (PUT object, XML documents).
  virtual bool wants_body() const { return false; }
  // Receives decoded body bytes in order. An error aborts the request.
  virtual Status Consume(RequestContext& /*ctx*/, std::string_view /*data*/) {
    return Status::OK();
  }
  // Runs after the complete body has been received and verified (digests, signatures).
  virtual Result<Response> Execute(RequestContext& ctx) = 0;

 private:
  OpId id_;
};

// Collects a small request body (an XML document) up to a limit, and refuses it as it
// arrives once it nests deeper than kMaxXmlDepth (kMalformedXML: S3 answers nesting it
// does not expect so), before any parser sees it.
// S3 answers oversized XML bodies with MalformedXML or EntityTooLarge; we use the latter.
class BufferedBodyOperation : public Operation {
 public:
  using Operation::Operation;
  bool wants_body() const override { return true; }
  Status Consume(RequestContext& ctx, std::string_view data) override;

 protected:
  std::string body_;

 private:
  XmlDepthScanner depth_;
};

}  // namespace kumo::s3
