// PutPublicAccessBlock, GetPublicAccessBlock and DeletePublicAccessBlock (the bucket's
// ?publicAccessBlock subresource): the four switches of policy::PublicAccessBlock, kept
// as the bucket's "public-access-block" configuration document (EncodePublicAccessBlock).
// A bucket without one answers GetPublicAccessBlock with 404
// NoSuchPublicAccessBlockConfiguration, as S3 does.
#include "policy/access_cache.h"
#include "s3/access_config_xml.h"
#include "s3/bucket_access_config.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

class PutPublicAccessBlock final : public BufferedBodyOperation {
 public:
  PutPublicAccessBlock() : BufferedBodyOperation(OpId::kPutPublicAccessBlock) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(policy::PublicAccessBlock block, ParsePublicAccessBlockXml(body_));
    KUMO_RETURN_IF_ERROR(ctx.store->PutBucketConfig(ctx.bucket, kPublicAccessBlockConfig,
                                                    policy::EncodePublicAccessBlock(block)));
    ctx.options->access->BucketChanged(ctx.bucket);
    return Response{};  // S3 answers 200 with an empty body
  }
};

class GetPublicAccessBlock final : public Operation {
 public:
  GetPublicAccessBlock() : Operation(OpId::kGetPublicAccessBlock) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto stored,
                          ctx.store->GetBucketConfig(ctx.bucket, kPublicAccessBlockConfig));
    if (!stored) {
      return Status(ErrorCode::kNoSuchPublicAccessBlockConfiguration,
                    "The public access block configuration was not found");
    }
    auto block = policy::DecodePublicAccessBlock(*stored);
    if (!block) {
      return Status(ErrorCode::kCorruption,
                    std::string("bucket ")
                        .append(ctx.bucket)
                        .append(": stored public access block does not parse"));
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = RenderPublicAccessBlockXml(*block);
    return r;
  }
};

class DeletePublicAccessBlock final : public Operation {
 public:
  DeletePublicAccessBlock() : Operation(OpId::kDeletePublicAccessBlock) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ctx.store->DeleteBucketConfig(ctx.bucket, kPublicAccessBlockConfig));
    ctx.options->access->BucketChanged(ctx.bucket);
    Response r;
    r.status = 204;
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutPublicAccessBlock() {
  return std::make_unique<PutPublicAccessBlock>();
}
std::unique_ptr<Operation> MakeGetPublicAccessBlock() {
  return std::make_unique<GetPublicAccessBlock>();
}
std::unique_ptr<Operation> MakeDeletePublicAccessBlock() {
  return std::make_unique<DeletePublicAccessBlock>();
}

}  // namespace kumo::s3
