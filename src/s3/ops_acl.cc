// GetBucketAcl, PutBucketAcl, GetObjectAcl and PutObjectAcl (the ?acl subresource of a
// bucket and of an object). A Put takes the ACL from an AccessControlPolicy body or from
// x-amz-acl / x-amz-grant-* headers, never both. A bucket's ACL is its "acl" configuration
// document (bucket_access_config.h); an object's lives in its index record
// (ObjectMeta::acl), rewritten in place, and PutObjectAcl emits ObjectAcl:Put as S3 does.
// Under BucketOwnerEnforced ACLs are off: reads show the bucket owner's FULL_CONTROL and
// writes take nothing else (acl_headers.h).
#include "policy/access_cache.h"
#include "s3/acl_headers.h"
#include "s3/acl_xml.h"
#include "s3/bucket_access_config.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

Response AclResponse(const policy::Acl& acl) {
  Response r;
  r.Set("Content-Type", "application/xml");
  r.body = RenderAclXml(acl);
  return r;
}

Result<std::shared_ptr<const policy::BucketAccess>> BucketOf(const RequestContext& ctx) {
  KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
  if (!bucket) return Status::NoSuchBucket();
  return bucket;
}

// Reads the ACL headers in Prepare, the body as it comes, and resolves the two into the
// ACL to store.
class PutAclOperation : public BufferedBodyOperation {
 public:
  using BufferedBodyOperation::BufferedBodyOperation;
  Status Prepare(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(requested_, AclFromHeaders(ctx.http));
    return Status::OK();
  }

 protected:
  // The ACL the request sets on a resource owned by owner. Errors: kUnexpectedContent
  // for a body and ACL headers; kMalformedACLError for neither; ParseAclXml's;
  // kAccessDenied for a document whose owner is not the resource's.
  Result<policy::Acl> Requested(const std::string& owner, std::string_view bucket_owner) const {
    if (requested_ && !body_.empty()) {
      return Status(ErrorCode::kUnexpectedContent, "This request does not support content");
    }
    if (requested_) return requested_->Resolve(owner, bucket_owner);
    if (body_.empty()) {
      return Status(ErrorCode::kMalformedACLError,
                    "Set the ACL with an AccessControlPolicy body, x-amz-acl or x-amz-grant-*");
    }
    KUMO_ASSIGN_OR_RETURN(policy::Acl acl, ParseAclXml(body_));
    if (acl.owner != owner) {
      return Status(ErrorCode::kAccessDenied, "The ACL may not change the owner");
    }
    return acl;
  }

 private:
  std::optional<RequestedAcl> requested_;
};

class GetBucketAcl final : public Operation {
 public:
  GetBucketAcl() : Operation(OpId::kGetBucketAcl) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, BucketOf(ctx));
    return AclResponse(bucket->acls_enabled() ? bucket->acl : policy::PrivateAcl(bucket->owner));
  }
};

class PutBucketAcl final : public PutAclOperation {
 public:
  PutBucketAcl() : PutAclOperation(OpId::kPutBucketAcl) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, BucketOf(ctx));
    KUMO_ASSIGN_OR_RETURN(policy::Acl acl, Requested(bucket->owner, bucket->owner));
    KUMO_RETURN_IF_ERROR(CheckGrantees(ctx, acl));
    KUMO_RETURN_IF_ERROR(CheckAclAllowed(*bucket, acl));
    KUMO_RETURN_IF_ERROR(
        ctx.store->PutBucketConfig(ctx.bucket, kAclConfig, policy::EncodeAcl(acl)));
    ctx.options->access->BucketChanged(ctx.bucket);
    return Response{};
  }
};

class GetObjectAcl final : public Operation {
 public:
  GetObjectAcl() : Operation(OpId::kGetObjectAcl) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, BucketOf(ctx));
    KUMO_ASSIGN_OR_RETURN(auto meta, ctx.store->HeadObject(ctx.bucket, ctx.key));
    if (!bucket->acls_enabled()) return AclResponse(policy::PrivateAcl(bucket->owner));
    auto acl = meta.acl.empty() ? std::nullopt : policy::DecodeAcl(meta.acl);
    return AclResponse(acl ? *acl : policy::PrivateAcl(meta.owner));
  }
};

class PutObjectAcl final : public PutAclOperation {
 public:
  PutObjectAcl() : PutAclOperation(OpId::kPutObjectAcl) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto bucket, BucketOf(ctx));
    KUMO_ASSIGN_OR_RETURN(auto head, ctx.store->HeadObject(ctx.bucket, ctx.key));
    // The grantees are resolved outside the index update; the owner is checked again
    // inside it, against the record being rewritten.
    KUMO_ASSIGN_OR_RETURN(policy::Acl acl, Requested(head.owner, bucket->owner));
    KUMO_RETURN_IF_ERROR(CheckGrantees(ctx, acl));
    storage::EventIntent event = ctx.Event("ObjectAcl:Put");
    KUMO_RETURN_IF_ERROR(ctx.store
                             ->UpdateObjectMeta(
                                 ctx.bucket, ctx.key,
                                 [&](storage::ObjectMeta& meta) -> Status {
                                   KUMO_ASSIGN_OR_RETURN(acl, Requested(meta.owner, bucket->owner));
                                   KUMO_RETURN_IF_ERROR(CheckAclAllowed(*bucket, acl));
                                   meta.acl = acl == policy::PrivateAcl(meta.owner)
                                                  ? std::string()
                                                  : policy::EncodeAcl(acl);
                                   return Status::OK();
                                 },
                                 &event)
                             .status());
    return Response{};
  }
};

}  // namespace

std::unique_ptr<Operation> MakeGetBucketAcl() { return std::make_unique<GetBucketAcl>(); }
std::unique_ptr<Operation> MakePutBucketAcl() { return std::make_unique<PutBucketAcl>(); }
std::unique_ptr<Operation> MakeGetObjectAcl() { return std::make_unique<GetObjectAcl>(); }
std::unique_ptr<Operation> MakePutObjectAcl() { return std::make_unique<PutObjectAcl>(); }

}  // namespace kumo::s3
