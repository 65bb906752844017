// The Delete operations of a bucket's access documents (DeleteBucketPolicy,
// DeleteBucketOwnershipControls, DeletePublicAccessBlock): remove the document, then
// drop the bucket's access snapshot. 204 also when there was none, as S3 answers.
#include "policy/access_cache.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

class DeleteAccessConfig final : public Operation {
 public:
  DeleteAccessConfig(OpId id, std::string_view config) : Operation(id), config_(config) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ctx.store->DeleteBucketConfig(ctx.bucket, config_));
    ctx.options->access->BucketChanged(ctx.bucket);
    Response r;
    r.status = 204;
    return r;
  }

 private:
  std::string_view config_;
};

}  // namespace

std::unique_ptr<Operation> MakeDeleteAccessConfig(OpId id, std::string_view config) {
  return std::make_unique<DeleteAccessConfig>(id, config);
}

}  // namespace kumo::s3
