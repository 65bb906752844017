// PutObject: streams the verified body into a storage writer and commits it.
#include "common/hash.h"
#include "s3/acl_headers.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/tagging.h"
#include "s3/validation.h"

namespace kumo::s3 {

namespace {

class PutObject final : public Operation {
 public:
  PutObject() : Operation(OpId::kPutObject) {}
  Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const override {
    return WithAclPermission(ctx, Operation::Permissions(ctx), "s3:PutObjectAcl");
  }
  Status Prepare(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ValidateObjectKey(ctx.key));
    KUMO_RETURN_IF_ERROR(AttributesFromRequest(ctx.http, &meta_));
    KUMO_RETURN_IF_ERROR(TagsFromRequest(ctx.http, &meta_));
    KUMO_ASSIGN_OR_RETURN(auto requested, AclFromHeaders(ctx.http));
    KUMO_ASSIGN_OR_RETURN(NewObjectAcl owned, AclForNewObject(ctx, requested));
    meta_.owner = std::move(owned.owner);
    meta_.acl = std::move(owned.acl);
    int64_t size_hint = -1;
    if (const std::string* decoded = ctx.Header("x-amz-decoded-content-length")) {
      size_hint = std::strtoll(decoded->c_str(), nullptr, 10);
    } else if (const std::string* cl = ctx.Header("content-length")) {
      size_hint = std::strtoll(cl->c_str(), nullptr, 10);
    } else if (ctx.http.HeaderOr("transfer-encoding", "").find("chunked") == std::string::npos) {
      return {ErrorCode::kMissingContentLength, "You must provide the Content-Length HTTP header."};
    }
    KUMO_ASSIGN_OR_RETURN(writer_, ctx.store->NewObjectWriter(ctx.bucket, ctx.key, size_hint));
    return Status::OK();
  }

  bool wants_body() const override { return true; }

  Status Consume(RequestContext& /*ctx*/, std::string_view data) override {
    return writer_->Append(data);
  }

  Result<Response> Execute(RequestContext& ctx) override {
    meta_.etag = HexEncode(ctx.body_md5);
    meta_.mtime_ms = ctx.now_ms;
    meta_.checksums = ctx.checksums;
    storage::EventIntent event = ctx.Event("ObjectCreated:Put");
    KUMO_ASSIGN_OR_RETURN(auto stored, writer_->Commit(std::move(meta_), &event));
    Response r;
    r.Set("ETag", QuotedEtag(stored.etag));
    for (const auto& [alg, value] : stored.checksums) r.Set("x-amz-checksum-" + alg, value);
    return r;
  }

 private:
  storage::ObjectMeta meta_;
  std::unique_ptr<storage::ObjectWriter> writer_;
};

}  // namespace

std::unique_ptr<Operation> MakePutObject() { return std::make_unique<PutObject>(); }

}  // namespace kumo::s3
