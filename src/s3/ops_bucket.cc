// Bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation.
#include <pugixml.hpp>

#include "common/time_util.h"
#include "common/utf8.h"
#include "s3/ops.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

Response XmlResponse(std::string body) {
  Response r;
  r.Set("Content-Type", "application/xml");
  r.body = std::move(body);
  return r;
}

class ListBuckets final : public Operation {
 public:
  ListBuckets() : Operation(OpId::kListBuckets) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto buckets, ctx.store->ListBuckets());
    XmlWriter xml("ListAllMyBucketsResult");
    xml.Open("Owner");
    xml.Text("ID", ctx.auth.access_key);
    xml.Text("DisplayName", ctx.auth.access_key);
    xml.Close();
    xml.Open("Buckets");
    for (const auto& b : buckets) {
      xml.Open("Bucket");
      xml.Text("Name", b.name);
      xml.Text("CreationDate", FormatIso8601Millis(b.created_ms));
      xml.Close();
    }
    xml.Close();
    return XmlResponse(xml.Finish());
  }
};

class CreateBucket final : public BufferedBodyOperation {
 public:
  CreateBucket() : BufferedBodyOperation(OpId::kCreateBucket) {}
  Status Prepare(RequestContext& ctx) override { return ValidateBucketName(ctx.bucket); }

  Result<Response> Execute(RequestContext& ctx) override {
    std::string region = ctx.options->region;
    if (!body_.empty()) {
      pugi::xml_document doc;
      if (!IsValidUtf8(body_) || !doc.load_buffer(body_.data(), body_.size())) {
        return Status(ErrorCode::kMalformedXML,
                      "The XML you provided was not well-formed or did not validate against "
                      "our published schema");
      }
      auto root = doc.child("CreateBucketConfiguration");
      if (!root) {
        return Status(ErrorCode::kMalformedXML,
                      "The XML you provided was not well-formed or did not validate against "
                      "our published schema");
      }
      std::string constraint = root.child_value("LocationConstraint");
      if (!constraint.empty()) region = constraint;
    }
    storage::BucketInfo info;
    info.name = ctx.bucket;
    info.created_ms = ctx.now_ms;
    info.owner = ctx.auth.access_key;
    info.region = region;
    KUMO_RETURN_IF_ERROR(ctx.store->CreateBucket(info));
    Response r;
    r.Set("Location", "/" + ctx.bucket);
    return r;
  }
};

class HeadBucket final : public Operation {
 public:
  HeadBucket() : Operation(OpId::kHeadBucket) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto info, ctx.store->GetBucket(ctx.bucket));
    Response r;
    r.Set("x-amz-bucket-region", info.region);
    r.omit_body = true;
    return r;
  }
};

class DeleteBucket final : public Operation {
 public:
  DeleteBucket() : Operation(OpId::kDeleteBucket) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ctx.store->DeleteBucket(ctx.bucket));
    Response r;
    r.status = 204;
    return r;
  }
};

class GetBucketLocation final : public Operation {
 public:
  GetBucketLocation() : Operation(OpId::kGetBucketLocation) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto info, ctx.store->GetBucket(ctx.bucket));
    XmlWriter xml("LocationConstraint");
    // us-east-1 is reported as an empty constraint, as S3 does.
    if (info.region != "us-east-1") xml.Value(info.region);
    return XmlResponse(xml.Finish());
  }
};

}  // namespace

std::unique_ptr<Operation> MakeListBuckets() { return std::make_unique<ListBuckets>(); }
std::unique_ptr<Operation> MakeCreateBucket() { return std::make_unique<CreateBucket>(); }
std::unique_ptr<Operation> MakeHeadBucket() { return std::make_unique<HeadBucket>(); }
std::unique_ptr<Operation> MakeDeleteBucket() { return std::make_unique<DeleteBucket>(); }
std::unique_ptr<Operation> MakeGetBucketLocation() { return std::make_unique<GetBucketLocation>(); }

}  // namespace kumo::s3
