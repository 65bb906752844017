// CopyObject: streams the source object into a new writer (x-amz-copy-source),
// with the copy-source conditionals and the COPY / REPLACE metadata and tagging
// directives.
#include "common/hash.h"
#include "common/time_util.h"
#include "s3/acl_headers.h"
#include "s3/copy_source.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/tagging.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

class CopyObject final : public Operation {
 public:
  CopyObject() : Operation(OpId::kCopyObject) {}
  // s3:PutObject on the destination, then s3:GetObject on the source (and
  // s3:PutObjectAcl on the destination when the request sets its ACL).
  Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const override {
    return WithAclPermission(ctx, WithCopySourcePermission(ctx, Operation::Permissions(ctx)),
                             "s3:PutObjectAcl");
  }
  Status Prepare(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ValidateObjectKey(ctx.key));
    KUMO_ASSIGN_OR_RETURN(source_, ParseCopySource(*ctx.Header("x-amz-copy-source")));
    std::string directive = ctx.http.HeaderOr("x-amz-metadata-directive", "COPY");
    if (directive != "COPY" && directive != "REPLACE") {
      return {ErrorCode::kInvalidArgument, "Unknown metadata directive."};
    }
    replace_ = directive == "REPLACE";
    if (replace_) KUMO_RETURN_IF_ERROR(AttributesFromRequest(ctx.http, &replacement_));
    std::string tagging = ctx.http.HeaderOr("x-amz-tagging-directive", "COPY");
    if (tagging != "COPY" && tagging != "REPLACE") {
      return {ErrorCode::kInvalidArgument, "Unknown tagging directive."};
    }
    // COPY ignores x-amz-tagging; REPLACE takes it (no header: no tags).
    replace_tags_ = tagging == "REPLACE";
    if (const std::string* h = ctx.Header("x-amz-tagging"); h != nullptr && replace_tags_) {
      KUMO_ASSIGN_OR_RETURN(new_tags_, ParseTaggingHeader(*h));
    }
    // The copy gets the ACL the request asks for, or the writer's private one; never the
    // source's.
    KUMO_ASSIGN_OR_RETURN(auto requested, AclFromHeaders(ctx.http));
    KUMO_ASSIGN_OR_RETURN(owned_, AclForNewObject(ctx, requested));
    if (source_.bucket == ctx.bucket && source_.key == ctx.key && !replace_) {
      return {ErrorCode::kInvalidRequest,
              "This copy request is illegal because it is trying to copy an object to itself "
              "without changing the object's metadata, storage class, website redirect "
              "location or encryption attributes."};
    }
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto reader, OpenCopySource(ctx, source_));
    const storage::ObjectMeta& src = reader->meta();
    KUMO_ASSIGN_OR_RETURN(auto writer, ctx.store->NewObjectWriter(ctx.bucket, ctx.key,
                                                                  static_cast<int64_t>(src.size)));
    KUMO_ASSIGN_OR_RETURN(std::string md5, CopyRange(*reader, 0, src.size, [&](auto chunk) {
                            return writer->Append(chunk);
                          }));
    storage::ObjectMeta meta = replace_ ? replacement_ : src;
    meta.extents.clear();
    meta.checksums = src.checksums;
    meta.tags = replace_tags_ ? new_tags_ : src.tags;
    meta.etag = HexEncode(md5);
    meta.mtime_ms = ctx.now_ms;
    meta.owner = owned_.owner;
    meta.acl = owned_.acl;
    storage::EventIntent event = ctx.Event("ObjectCreated:Copy");
    KUMO_ASSIGN_OR_RETURN(auto stored, writer->Commit(std::move(meta), &event));

    XmlWriter xml("CopyObjectResult");
    xml.Text("LastModified", FormatIso8601Millis(stored.mtime_ms));
    xml.Text("ETag", QuotedEtag(stored.etag));
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = xml.Finish();
    return r;
  }

 private:
  CopySource source_;
  NewObjectAcl owned_;
  bool replace_ = false;
  storage::ObjectMeta replacement_;
  bool replace_tags_ = false;
  StringPairs new_tags_;  // REPLACE: the tags from x-amz-tagging
};

}  // namespace

std::unique_ptr<Operation> MakeCopyObject() { return std::make_unique<CopyObject>(); }

}  // namespace kumo::s3
