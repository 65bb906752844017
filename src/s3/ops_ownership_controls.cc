// PutBucketOwnershipControls, GetBucketOwnershipControls and
// DeleteBucketOwnershipControls (the bucket's ?ownershipControls subresource): the
// bucket's object ownership, kept as its "ownership" configuration document
// (OwnershipName). CreateBucket stores one, so only a bucket whose controls were deleted
// answers GetBucketOwnershipControls with 404 OwnershipControlsNotFoundError (it is then
// ObjectWriter, as in S3). BucketOwnerEnforced turns ACLs off, so S3 refuses it while the
// bucket ACL grants anything to anyone but the owner (InvalidBucketAclWithObjectOwnership).
#include "policy/access_cache.h"
#include "s3/access_config_xml.h"
#include "s3/bucket_access_config.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

class PutBucketOwnershipControls final : public BufferedBodyOperation {
 public:
  PutBucketOwnershipControls() : BufferedBodyOperation(OpId::kPutBucketOwnershipControls) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(policy::ObjectOwnership ownership, ParseOwnershipControlsXml(body_));
    if (ownership == policy::ObjectOwnership::kBucketOwnerEnforced) {
      KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
      if (!bucket) return Status(ErrorCode::kNoSuchBucket, "The specified bucket does not exist");
      if (!AclAllowsBucketOwnerEnforced(bucket->acl)) {
        return Status(ErrorCode::kInvalidBucketAclWithObjectOwnership,
                      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced "
                      "setting");
      }
    }
    KUMO_RETURN_IF_ERROR(
        ctx.store->PutBucketConfig(ctx.bucket, kOwnershipConfig, policy::OwnershipName(ownership)));
    ctx.options->access->BucketChanged(ctx.bucket);
    return Response{};  // S3 answers 200 with an empty body
  }
};

class GetBucketOwnershipControls final : public Operation {
 public:
  GetBucketOwnershipControls() : Operation(OpId::kGetBucketOwnershipControls) {}
  // The bucket's access snapshot holds the stored document already decoded.
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
    if (!bucket) return Status::NoSuchBucket();
    if (!bucket->has_ownership_controls) {
      return Status(ErrorCode::kOwnershipControlsNotFoundError,
                    "The bucket ownership controls were not found");
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = RenderOwnershipControlsXml(bucket->ownership);
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutBucketOwnershipControls() {
  return std::make_unique<PutBucketOwnershipControls>();
}
std::unique_ptr<Operation> MakeGetBucketOwnershipControls() {
  return std::make_unique<GetBucketOwnershipControls>();
}
std::unique_ptr<Operation> MakeDeleteBucketOwnershipControls() {
  return MakeDeleteAccessConfig(OpId::kDeleteBucketOwnershipControls, kOwnershipConfig);
}

}  // namespace kumo::s3
