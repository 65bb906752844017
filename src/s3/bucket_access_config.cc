#include "s3/bucket_access_config.h"

namespace kumo::s3 {

namespace {

Status Corrupt(std::string_view bucket, std::string_view what) {
  return {ErrorCode::kCorruption, std::string("bucket ")
                                      .append(bucket)
                                      .append(": stored ")
                                      .append(what)
                                      .append(" does not parse")};
}

Result<std::shared_ptr<const policy::BucketAccess>> LoadBucket(storage::Store* store,
                                                               std::string_view name) {
  auto info = store->GetBucket(name);
  if (!info.ok()) {
    if (info.status().code() == ErrorCode::kNoSuchBucket) {
      return std::shared_ptr<const policy::BucketAccess>();
    }
    return info.status();
  }
  auto access = std::make_shared<policy::BucketAccess>();
  access->name = info->name;
  access->owner = info->owner;
  access->acl = policy::PrivateAcl(info->owner);

  KUMO_ASSIGN_OR_RETURN(auto policy_text, store->GetBucketConfig(name, kPolicyConfig));
  if (policy_text) {
    policy::ParseOptions options;
    options.bucket = name;
    auto parsed = policy::ParsePolicy(*policy_text, options);
    if (!parsed.ok()) return Corrupt(name, "policy");
    access->policy = std::make_shared<const policy::Policy>(std::move(*parsed));
    access->policy_is_public = policy::IsPublicPolicy(*access->policy);
    access->policy_reads_object_tags = policy::ReadsObjectTags(*access->policy);
    access->policy_context_keys = policy::ContextKeysOf(*access->policy);
  }
  KUMO_ASSIGN_OR_RETURN(auto acl_text, store->GetBucketConfig(name, kAclConfig));
  if (acl_text) {
    auto acl = policy::DecodeAcl(*acl_text);
    if (!acl) return Corrupt(name, "ACL");
    access->acl = std::move(*acl);
  }
  KUMO_ASSIGN_OR_RETURN(auto ownership, store->GetBucketConfig(name, kOwnershipConfig));
  if (ownership) {
    auto o = policy::ParseOwnership(*ownership);
    if (!o) return Corrupt(name, "ownership controls");
    access->ownership = *o;
    access->has_ownership_controls = true;
  }
  KUMO_ASSIGN_OR_RETURN(auto block, store->GetBucketConfig(name, kPublicAccessBlockConfig));
  if (block) {
    auto b = policy::DecodePublicAccessBlock(*block);
    if (!b) return Corrupt(name, "public access block");
    access->block = *b;
    access->has_public_access_block = true;
  }
  return std::shared_ptr<const policy::BucketAccess>(std::move(access));
}

Result<std::shared_ptr<const policy::UserAccess>> LoadUser(storage::Store* store,
                                                           std::string_view access_key) {
  KUMO_ASSIGN_OR_RETURN(storage::UserRecord record, store->GetUser(access_key));
  auto user = std::make_shared<policy::UserAccess>();
  user->name = record.access_key;
  user->principal = policy::Principal::User(record.access_key, record.access_key);
  if (!record.policy.empty()) {
    policy::ParseOptions options;
    options.is_identity_policy = true;
    auto parsed = policy::ParsePolicy(record.policy, options);
    if (!parsed.ok()) {
      return Status(
          ErrorCode::kCorruption,
          std::string("user ").append(access_key).append(": stored policy does not parse"));
    }
    user->policy = std::make_shared<const policy::Policy>(std::move(*parsed));
    user->policy_reads_object_tags = policy::ReadsObjectTags(*user->policy);
    user->policy_context_keys = policy::ContextKeysOf(*user->policy);
  }
  return std::shared_ptr<const policy::UserAccess>(std::move(user));
}

}  // namespace

policy::AccessCache::BucketLoader StoreBucketLoader(storage::Store* store) {
  return [store](std::string_view name) { return LoadBucket(store, name); };
}

policy::AccessCache::UserLoader StoreUserLoader(storage::Store* store) {
  return [store](std::string_view access_key) { return LoadUser(store, access_key); };
}

}  // namespace kumo::s3
