// Bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation.
#include <charconv>
#include <pugixml.hpp>

#include "common/time_util.h"
#include "common/utf8.h"
#include "policy/access_cache.h"
#include "s3/acl_headers.h"
#include "s3/bucket_access_config.h"
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

// Lists the caller's own buckets (root: every bucket), in name order, with S3's paging:
// max-buckets (1..10000), continuation-token (the last name of the previous page) and
// prefix.
class ListBuckets final : public Operation {
 public:
  ListBuckets() : Operation(OpId::kListBuckets) {}
  Status Prepare(RequestContext& ctx) override {
    if (const std::string* m = ctx.Query("max-buckets")) {
      auto [p, ec] = std::from_chars(m->data(), m->data() + m->size(), max_);
      if (ec != std::errc() || p != m->data() + m->size() || max_ < 1 || max_ > 10000) {
        return {ErrorCode::kInvalidArgument,
                "Argument max-buckets must be an integer between 1 "
                "and 10000."};
      }
    }
    if (const std::string* t = ctx.Query("continuation-token")) {
      if (t->empty()) {
        return {ErrorCode::kInvalidArgument, "The continuation token provided is incorrect"};
      }
      token_ = *t;
    }
    if (const std::string* p = ctx.Query("prefix")) prefix_ = *p;
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto buckets, ctx.store->ListBuckets());
    const bool root = ctx.options->access->IsRoot(ctx.auth.access_key);
    XmlWriter xml("ListAllMyBucketsResult");
    xml.Open("Owner");
    xml.Text("ID", ctx.auth.access_key);
    xml.Text("DisplayName", ctx.auth.access_key);
    xml.Close();
    xml.Open("Buckets");
    int listed = 0;
    std::string last;
    bool truncated = false;
    for (const auto& b : buckets) {  // in name order
      if (!root && b.owner != ctx.auth.access_key) continue;
      if (!b.name.starts_with(prefix_) || (!token_.empty() && b.name <= token_)) continue;
      if (listed == max_) {
        truncated = true;
        break;
      }
      xml.Open("Bucket");
      xml.Text("Name", b.name);
      xml.Text("CreationDate", FormatIso8601Millis(b.created_ms));
      xml.Text("BucketRegion", b.region);
      xml.Close();
      last = b.name;
      ++listed;
    }
    xml.Close();
    if (truncated) xml.Text("ContinuationToken", last);
    if (ctx.HasQuery("prefix")) xml.Text("Prefix", prefix_);
    return XmlResponse(xml.Finish());
  }

 private:
  int max_ = 10000;
  std::string token_;
  std::string prefix_;
};

class CreateBucket final : public BufferedBodyOperation {
 public:
  CreateBucket() : BufferedBodyOperation(OpId::kCreateBucket) {}
  Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const override {
    return WithAclPermission(ctx, Operation::Permissions(ctx), "s3:PutBucketAcl");
  }
  Status Prepare(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ValidateBucketName(ctx.bucket));
    ownership_ = ctx.options->default_object_ownership;
    if (const std::string* o = ctx.Header("x-amz-object-ownership")) {
      if (!policy::ParseOwnership(*o)) {
        return {ErrorCode::kInvalidArgument, "Invalid x-amz-object-ownership header: " + *o};
      }
      ownership_ = *o;
    }
    // The bucket's ACL is stored with it; ACLs off (BucketOwnerEnforced) take only the
    // owner's full control.
    KUMO_ASSIGN_OR_RETURN(auto requested, AclFromHeaders(ctx.http));
    if (requested) {
      policy::Acl acl = requested->Resolve(ctx.auth.access_key, ctx.auth.access_key);
      if (ownership_ == policy::OwnershipName(policy::ObjectOwnership::kBucketOwnerEnforced) &&
          acl != policy::PrivateAcl(ctx.auth.access_key)) {
        return {ErrorCode::kInvalidBucketAclWithObjectOwnership,
                "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"};
      }
      KUMO_RETURN_IF_ERROR(CheckGrantees(ctx, acl));
      acl_ = policy::EncodeAcl(acl);
    }
    return Status::OK();
  }

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
    std::vector<std::pair<std::string, std::string>> configs = {
        {std::string(kOwnershipConfig), ownership_}};
    if (!acl_.empty()) configs.emplace_back(std::string(kAclConfig), acl_);
    KUMO_RETURN_IF_ERROR(ctx.store->CreateBucket(info, configs));
    ctx.options->access->BucketChanged(ctx.bucket);
    Response r;
    r.Set("Location", "/" + ctx.bucket);
    return r;
  }

 private:
  std::string ownership_;
  std::string acl_;  // EncodeAcl of the requested ACL; empty: none requested
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
    ctx.options->access->BucketChanged(ctx.bucket);
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
