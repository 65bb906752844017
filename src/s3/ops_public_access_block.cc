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
  // The bucket's access snapshot holds the stored document already decoded.
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
    if (!bucket) return Status::NoSuchBucket();
    if (!bucket->has_public_access_block) {
      return Status(ErrorCode::kNoSuchPublicAccessBlockConfiguration,
                    "The public access block configuration was not found");
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = RenderPublicAccessBlockXml(bucket->block);
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
  return MakeDeleteAccessConfig(OpId::kDeletePublicAccessBlock, kPublicAccessBlockConfig);
}

}  // namespace kumo::s3
