// PutObjectTagging, GetObjectTagging and DeleteObjectTagging (the object's ?tagging
// subresource). The tag set is part of the object's index record: Put and Delete rewrite
// it in place (Store::UpdateObjectMeta), leaving the bytes, ETag and Last-Modified as
// they are, and emit ObjectTagging:Put / ObjectTagging:Delete with the change.
#include "s3/ops.h"
#include "s3/tagging.h"

namespace kumo::s3 {

namespace {

class PutObjectTagging final : public BufferedBodyOperation {
 public:
  PutObjectTagging() : BufferedBodyOperation(OpId::kPutObjectTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(StringPairs tags, ParseTaggingXml(body_));
    storage::EventIntent event = ctx.Event("ObjectTagging:Put");
    KUMO_RETURN_IF_ERROR(ctx.store
                             ->UpdateObjectMeta(
                                 ctx.bucket, ctx.key,
                                 [&](storage::ObjectMeta& meta) {
                                   meta.tags = tags;
                                   return Status::OK();
                                 },
                                 &event)
                             .status());
    return Response{};
  }
};

class GetObjectTagging final : public Operation {
 public:
  GetObjectTagging() : Operation(OpId::kGetObjectTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto meta, ctx.store->HeadObject(ctx.bucket, ctx.key));
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = RenderTaggingXml(meta.tags);
    return r;
  }
};

class DeleteObjectTagging final : public Operation {
 public:
  DeleteObjectTagging() : Operation(OpId::kDeleteObjectTagging) {}
  Result<Response> Execute(RequestContext& ctx) override {
    storage::EventIntent event = ctx.Event("ObjectTagging:Delete");
    KUMO_RETURN_IF_ERROR(ctx.store
                             ->UpdateObjectMeta(
                                 ctx.bucket, ctx.key,
                                 [](storage::ObjectMeta& meta) {
                                   meta.tags.clear();
                                   return Status::OK();
                                 },
                                 &event)
                             .status());
    Response r;
    r.status = 204;
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutObjectTagging() { return std::make_unique<PutObjectTagging>(); }
std::unique_ptr<Operation> MakeGetObjectTagging() { return std::make_unique<GetObjectTagging>(); }
std::unique_ptr<Operation> MakeDeleteObjectTagging() {
  return std::make_unique<DeleteObjectTagging>();
}

}  // namespace kumo::s3
