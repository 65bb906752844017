// PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy (the bucket's ?policy subresource)
// and GetBucketPolicyStatus (?policyStatus). The policy is validated as S3 validates it
// (policy/policy_document.h: every Resource inside the bucket, a Principal in every
// statement, at most policy::kMaxPolicyBytes) and kept as the JSON text the client sent,
// the bucket's "policy" configuration document; the access cache parses it once per change.
// With the bucket's BlockPublicPolicy on, a public policy (policy::IsPublicPolicy) is
// refused with AccessDenied, as S3 does.
#include "policy/access_cache.h"
#include "s3/access_config_xml.h"
#include "s3/bucket_access_config.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

Status NoPolicy() { return {ErrorCode::kNoSuchBucketPolicy, "The bucket policy does not exist"}; }

class PutBucketPolicy final : public Operation {
 public:
  PutBucketPolicy() : Operation(OpId::kPutBucketPolicy) {}
  bool wants_body() const override { return true; }
  // A JSON body: no XML depth scan, the policy size limit instead of max_xml_body.
  Status Consume(RequestContext& /*ctx*/, std::string_view data) override {
    if (body_.size() + data.size() > policy::kMaxPolicyBytes) {
      return {ErrorCode::kMalformedPolicy, std::string("Policy is larger than ")
                                               .append(std::to_string(policy::kMaxPolicyBytes))
                                               .append(" bytes")};
    }
    body_.append(data);
    return Status::OK();
  }
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
    if (!bucket) return Status(ErrorCode::kNoSuchBucket, "The specified bucket does not exist");
    policy::ParseOptions options;
    options.bucket = ctx.bucket;
    KUMO_ASSIGN_OR_RETURN(policy::Policy parsed, policy::ParsePolicy(body_, options));
    if (bucket->block.block_public_policy && policy::IsPublicPolicy(parsed)) {
      return Status(ErrorCode::kAccessDenied, "Access Denied");
    }
    KUMO_RETURN_IF_ERROR(ctx.store->PutBucketConfig(ctx.bucket, kPolicyConfig, body_));
    ctx.options->access->BucketChanged(ctx.bucket);
    Response r;
    r.status = 204;  // S3 answers PutBucketPolicy with 204 No Content
    return r;
  }

 private:
  std::string body_;
};

class GetBucketPolicy final : public Operation {
 public:
  GetBucketPolicy() : Operation(OpId::kGetBucketPolicy) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto stored, ctx.store->GetBucketConfig(ctx.bucket, kPolicyConfig));
    if (!stored) return NoPolicy();
    Response r;
    r.Set("Content-Type", "application/json");
    r.body = std::move(*stored);
    return r;
  }
};

class GetBucketPolicyStatus final : public Operation {
 public:
  GetBucketPolicyStatus() : Operation(OpId::kGetBucketPolicyStatus) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
    if (!bucket) return Status(ErrorCode::kNoSuchBucket, "The specified bucket does not exist");
    if (!bucket->policy) return NoPolicy();
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = RenderPolicyStatusXml(bucket->policy_is_public);
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutBucketPolicy() { return std::make_unique<PutBucketPolicy>(); }
std::unique_ptr<Operation> MakeGetBucketPolicy() { return std::make_unique<GetBucketPolicy>(); }
std::unique_ptr<Operation> MakeDeleteBucketPolicy() {
  return MakeDeleteAccessConfig(OpId::kDeleteBucketPolicy, kPolicyConfig);
}
std::unique_ptr<Operation> MakeGetBucketPolicyStatus() {
  return std::make_unique<GetBucketPolicyStatus>();
}

}  // namespace kumo::s3
