#include "s3/authorize.h"

#include "common/time_util.h"
#include "events/stored_object_access.h"
#include "policy/access_cache.h"
#include "s3/tagging.h"

namespace kumo::s3 {

namespace {

constexpr std::string_view kArnPrefix = "arn:aws:s3:::";

Status Denied() { return {ErrorCode::kAccessDenied, "Access Denied"}; }

// The bucket and key an S3 resource ARN names ("*" and bucket ARNs have no key).
void SplitArn(std::string_view resource, std::string_view* bucket, std::string_view* key) {
  *bucket = {};
  *key = {};
  if (!resource.starts_with(kArnPrefix)) return;
  resource.remove_prefix(kArnPrefix.size());
  size_t slash = resource.find('/');
  *bucket = resource.substr(0, slash);
  if (slash != std::string_view::npos) *key = resource.substr(slash + 1);
}

std::string_view AuthType(const RequestContext& ctx) {
  if (ctx.auth.access_key.empty()) return "";
  if (ctx.Header("authorization") != nullptr) return "REST-HEADER";
  if (ctx.HasQuery("X-Amz-Signature") || ctx.HasQuery("Signature")) return "REST-QUERY-STRING";
  return "POST";
}

class Decider {
 public:
  Decider(const RequestContext& ctx, policy::AccessCache* access) : ctx_(ctx), access_(access) {}

  Status Load() {
    if (ctx_.auth.access_key.empty()) return Status::OK();
    auto user = access_->User(ctx_.auth.access_key);
    // Authentication found the key, so only a user removed in between is missing here.
    if (!user.ok())
      return user.status().code() == ErrorCode::kInvalidAccessKeyId ? Denied() : user.status();
    user_ = std::move(*user);
    return Status::OK();
  }

  Status Check(std::string_view action, std::string_view resource, bool new_object = false) {
    std::string_view bucket_name, key;
    SplitArn(resource, &bucket_name, &key);
    // The ACL of a bucket being created: its creator will own it, so only an explicit
    // Deny of the caller's policy refuses it (an existing bucket makes CreateBucket
    // answer BucketAlreadyExists / BucketAlreadyOwnedByYou, not AccessDenied).
    const bool new_bucket = new_object && key.empty();
    std::shared_ptr<const policy::BucketAccess> bucket;
    if (!bucket_name.empty() && !new_bucket) {
      KUMO_ASSIGN_OR_RETURN(bucket, access_->Bucket(bucket_name));
      // NoSuchBucket is the operation's answer (CreateBucket's is to create it).
      if (!bucket && action != "s3:CreateBucket") return Status::OK();
    }
    policy::AccessRequest request;
    request.user = user_.get();
    request.action = action;
    request.resource = resource;
    request.bucket = bucket.get();
    request.conditions = [&](policy::RequestContext* out) {
      FillConditionKeys(ctx_, user_.get(), out);
      if (!key.empty() && ReadsObjectTags(bucket.get())) {
        events::AddExistingObjectTags(ctx_.store, bucket_name, key, out);
      }
    };
    if (!key.empty() && new_object) {
      // The writer owns what it writes (ownership rules may hand it to the bucket owner
      // afterwards; anonymous writers own nothing).
      request.object = [&]() -> std::shared_ptr<const policy::ObjectAccess> {
        if (ctx_.auth.access_key.empty()) return nullptr;
        auto object = std::make_shared<policy::ObjectAccess>();
        object->acl = policy::PrivateAcl(ctx_.auth.access_key);
        return object;
      };
    } else if (!key.empty()) {
      request.object = [&] { return events::LoadObjectAccess(ctx_.store, bucket_name, key); };
    }
    policy::Decision decision = policy::Decide(request);
    if (new_bucket) return decision == policy::Decision::kExplicitDeny ? Denied() : Status::OK();
    return decision == policy::Decision::kAllow ? Status::OK() : Denied();
  }

 private:
  bool ReadsObjectTags(const policy::BucketAccess* bucket) const {
    return (bucket != nullptr && bucket->policy_reads_object_tags) ||
           (user_ != nullptr && user_->policy_reads_object_tags);
  }

  const RequestContext& ctx_;
  policy::AccessCache* const access_;
  std::shared_ptr<const policy::UserAccess> user_;
};

policy::AccessCache* AccessOf(const RequestContext& ctx) {
  return ctx.options != nullptr ? ctx.options->access : nullptr;
}

}  // namespace

Status Authorize(const RequestContext& ctx, const Operation& op) {
  policy::AccessCache* access = AccessOf(ctx);
  if (access == nullptr) return {ErrorCode::kInternalError, "no access control configured"};
  if (access->IsRoot(ctx.auth.access_key)) return Status::OK();
  KUMO_ASSIGN_OR_RETURN(auto permissions, op.Permissions(ctx));
  Decider decider(ctx, access);
  KUMO_RETURN_IF_ERROR(decider.Load());
  for (const Permission& p : permissions) {
    KUMO_RETURN_IF_ERROR(decider.Check(p.action, p.resource, p.new_object));
  }
  return Status::OK();
}

Status AuthorizeObject(const RequestContext& ctx, std::string_view action, std::string_view key) {
  policy::AccessCache* access = AccessOf(ctx);
  if (access == nullptr) return {ErrorCode::kInternalError, "no access control configured"};
  if (access->IsRoot(ctx.auth.access_key)) return Status::OK();
  Decider decider(ctx, access);
  KUMO_RETURN_IF_ERROR(decider.Load());
  return decider.Check(action, ObjectArn(ctx.bucket, key));
}

void FillConditionKeys(const RequestContext& ctx, const policy::UserAccess* user,
                       policy::RequestContext* out) {
  const HttpRequest& http = ctx.http;
  if (!http.remote_addr.empty()) out->Set("aws:SourceIp", http.remote_addr);
  out->Set("aws:SecureTransport", http.tls ? "true" : "false");
  out->Set("aws:CurrentTime", FormatIso8601Millis(ctx.now_ms));
  out->Set("aws:EpochTime", std::to_string(ctx.now_ms / 1000));
  if (user != nullptr) {
    out->Set("aws:username", user->name);
    out->Set("aws:userid", user->name);
    out->Set("aws:PrincipalType", "User");
  } else if (!ctx.auth.access_key.empty()) {
    out->Set("aws:PrincipalType", "Account");  // root
  } else {
    out->Set("aws:PrincipalType", "Anonymous");
  }
  struct HeaderKey {
    std::string_view header;
    std::string_view key;
  };
  static constexpr HeaderKey kHeaderKeys[] = {
      {"referer", "aws:Referer"},
      {"user-agent", "aws:UserAgent"},
      {"x-amz-acl", "s3:x-amz-acl"},
      {"x-amz-content-sha256", "s3:x-amz-content-sha256"},
      {"x-amz-copy-source", "s3:x-amz-copy-source"},
      {"x-amz-metadata-directive", "s3:x-amz-metadata-directive"},
      {"x-amz-server-side-encryption", "s3:x-amz-server-side-encryption"},
      {"x-amz-storage-class", "s3:x-amz-storage-class"},
      {"x-amz-grant-read", "s3:x-amz-grant-read"},
      {"x-amz-grant-write", "s3:x-amz-grant-write"},
      {"x-amz-grant-read-acp", "s3:x-amz-grant-read-acp"},
      {"x-amz-grant-write-acp", "s3:x-amz-grant-write-acp"},
      {"x-amz-grant-full-control", "s3:x-amz-grant-full-control"},
      {"x-amz-object-lock-mode", "s3:object-lock-mode"},
      {"x-amz-object-lock-retain-until-date", "s3:object-lock-retain-until-date"},
      {"x-amz-object-lock-legal-hold", "s3:object-lock-legal-hold"},
      {"x-amz-bypass-governance-retention", "s3:object-lock-bypass-governance"},
  };
  for (const auto& [header, key] : kHeaderKeys) {
    if (const std::string* v = ctx.Header(header)) out->Set(key, *v);
  }
  for (std::string_view q : {"prefix", "delimiter", "max-keys"}) {
    if (const std::string* v = ctx.Query(q)) out->Set(std::string("s3:").append(q), *v);
  }
  if (std::string_view type = AuthType(ctx); !type.empty()) {
    out->Set("s3:authType", std::string(type));
    out->Set("s3:signatureversion", "AWS4-HMAC-SHA256");
  }
  if (const std::string* tagging = ctx.Header("x-amz-tagging")) {
    if (auto tags = ParseTaggingHeader(*tagging); tags.ok()) {
      for (const auto& [k, v] : *tags) {
        out->Set(std::string("s3:RequestObjectTag/").append(k), v);
        out->Add("s3:RequestObjectTagKeys", k);
      }
    }
  }
}

}  // namespace kumo::s3
