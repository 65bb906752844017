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
    SplitArn(resource, &bucket_name_, &key_);
    const std::string_view bucket_name = bucket_name_, key = key_;
    // The ACL of a bucket being created: its creator will own it, so only an explicit
    // Deny of the caller's policy refuses it (an existing bucket makes CreateBucket
    // answer BucketAlreadyExists / BucketAlreadyOwnedByYou, not AccessDenied).
    const bool new_bucket = new_object && key.empty();
    std::shared_ptr<const policy::BucketAccess>& bucket = bucket_;
    bucket.reset();
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
    // The callbacks capture `this` alone, so std::function keeps them inline (no
    // allocation per request); what they read is in the members of this check.
    request.conditions = [this](policy::RequestContext* out) {
      FillConditionKeys(ctx_, user_.get(), out);
      if (!key_.empty() && ReadsObjectTags(bucket_.get())) {
        events::AddExistingObjectTags(ctx_.store, bucket_name_, key_, out);
      }
    };
    if (!key.empty() && new_object) {
      // The writer owns what it writes (ownership rules may hand it to the bucket owner
      // afterwards; anonymous writers own nothing).
      request.object = [this]() -> std::shared_ptr<const policy::ObjectAccess> {
        if (ctx_.auth.access_key.empty()) return nullptr;
        auto object = std::make_shared<policy::ObjectAccess>();
        object->acl = policy::PrivateAcl(ctx_.auth.access_key);
        return object;
      };
    } else if (!key.empty()) {
      request.object = [this] { return events::LoadObjectAccess(ctx_.store, bucket_name_, key_); };
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
  // The permission being checked.
  std::string_view bucket_name_;
  std::string_view key_;
  std::shared_ptr<const policy::BucketAccess> bucket_;
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
  // Each key costs allocations: only those the policies in play read are computed.
  auto want = [out](std::string_view key) { return out->Wants(key); };
  const HttpRequest& http = ctx.http;
  if (!http.remote_addr.empty() && want("aws:SourceIp")) out->Set("aws:SourceIp", http.remote_addr);
  if (want("aws:SecureTransport")) out->Set("aws:SecureTransport", http.tls ? "true" : "false");
  if (want("aws:CurrentTime")) out->Set("aws:CurrentTime", FormatIso8601Millis(ctx.now_ms));
  if (want("aws:EpochTime")) out->Set("aws:EpochTime", std::to_string(ctx.now_ms / 1000));
  if (user != nullptr) {
    if (want("aws:username")) out->Set("aws:username", user->name);
    if (want("aws:userid")) out->Set("aws:userid", user->name);
  }
  if (want("aws:PrincipalType")) {
    out->Set("aws:PrincipalType", user != nullptr                ? "User"
                                  : !ctx.auth.access_key.empty() ? "Account"  // root
                                                                 : "Anonymous");
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
    if (!want(key)) continue;
    if (const std::string* v = ctx.Header(header)) out->Set(key, *v);
  }
  static constexpr std::string_view kQueryKeys[][2] = {
      {"prefix", "s3:prefix"}, {"delimiter", "s3:delimiter"}, {"max-keys", "s3:max-keys"}};
  for (const auto& [query, key] : kQueryKeys) {
    if (!want(key)) continue;
    if (const std::string* v = ctx.Query(query)) out->Set(key, *v);
  }
  if (std::string_view type = AuthType(ctx); !type.empty()) {
    if (want("s3:authType")) out->Set("s3:authType", std::string(type));
    if (want("s3:signatureversion")) out->Set("s3:signatureversion", "AWS4-HMAC-SHA256");
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
