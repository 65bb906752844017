// PutBucketTagging, GetBucketTagging and DeleteBucketTagging (the bucket's ?tagging
// subresource): up to 50 tags under the object tags' rules, kept as the bucket's
// "tagging" configuration document. A bucket without tags (never set, deleted, or set to
// an empty TagSet) answers GetBucketTagging with 404 NoSuchTagSet, as S3 does.
#include "s3/ops.h"
#include "s3/tagging.h"

namespace kumo::s3 {

namespace {

constexpr std::string_view kConfigName = "tagging";

class PutBucketTagging final : public BufferedBodyOperation {
 public:
  PutBucketTagging() : BufferedBodyOperation(OpId::kPutBucketTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(StringPairs tags, ParseTaggingXml(body_, TagSetOf::kBucket));
    if (tags.empty()) {
      KUMO_RETURN_IF_ERROR(ctx.store->DeleteBucketConfig(ctx.bucket, kConfigName));
    } else {
      KUMO_RETURN_IF_ERROR(
          ctx.store->PutBucketConfig(ctx.bucket, kConfigName, RenderTaggingXml(tags)));
    }
    Response r;
    r.status = 204;  // S3 answers PutBucketTagging with 204 No Content
    return r;
  }
};

class GetBucketTagging final : public Operation {
 public:
  GetBucketTagging() : Operation(OpId::kGetBucketTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto stored, ctx.store->GetBucketConfig(ctx.bucket, kConfigName));
    if (!stored) return Status(ErrorCode::kNoSuchTagSet, "The TagSet does not exist");
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = std::move(*stored);
    return r;
  }
};

class DeleteBucketTagging final : public Operation {
 public:
  DeleteBucketTagging() : Operation(OpId::kDeleteBucketTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ctx.store->DeleteBucketConfig(ctx.bucket, kConfigName));
    Response r;
    r.status = 204;
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutBucketTagging() { return std::make_unique<PutBucketTagging>(); }
std::unique_ptr<Operation> MakeGetBucketTagging() { return std::make_unique<GetBucketTagging>(); }
std::unique_ptr<Operation> MakeDeleteBucketTagging() {
  return std::make_unique<DeleteBucketTagging>();
}

}  // namespace kumo::s3
