#include "events/function_access.h"

#include "common/time_util.h"
#include "events/stored_object_access.h"
#include "policy/acl.h"
#include "policy/glob.h"

namespace kumo::events {

namespace {

policy::Statement Allow(policy::ActionSet actions, std::string resource) {
  policy::Statement s;
  s.effect = policy::Effect::kAllow;
  s.actions = actions;
  s.resources.push_back(std::move(resource));
  return s;
}

}  // namespace

std::string BuiltInPrincipalId(std::string_view function) {
  return std::string("function:").append(function);
}

policy::Policy BuiltInPolicy(std::string_view bucket, std::string_view key) {
  policy::Policy p;
  p.version = "2012-10-17";
  p.id = "kumo-function-built-in";
  p.is_identity_policy = true;
  policy::Statement read =
      Allow(policy::ActionBit("s3:GetObject") | policy::ActionBit("s3:GetObjectTagging"),
            policy::ObjectArn(bucket, key));
  read.sid = "ReadTheEventObject";
  if (policy::HasWildcard(key)) {
    // Resource patterns know no escape: the pattern also matches other keys, the
    // condition keeps only this one.
    auto exact = policy::MakeCondition("StringEquals", kObjectKeyCondition, {std::string(key)});
    if (exact.ok()) {
      read.conditions.push_back(std::move(exact).value());
    } else {
      read.resources.clear();  // cannot happen (a string fits StringEquals); allow nothing
    }
  }
  p.statements.push_back(std::move(read));
  policy::Statement write = Allow(
      policy::ActionBit("s3:PutObject") | policy::ActionBit("s3:PutObjectTagging") |
          policy::ActionBit("s3:DeleteObject") | policy::ActionBit("kumo:PutCatalogAttributes"),
      policy::ObjectArn(bucket, "*"));
  write.sid = "WriteIntoTheEventBucket";
  p.statements.push_back(std::move(write));
  return p;
}

CallAccess::CallAccess(const FunctionPrincipal* principal, std::string event_bucket,
                       std::string event_key)
    : principal_(principal),
      event_bucket_(std::move(event_bucket)),
      event_key_(std::move(event_key)),
      principal_id_(principal->run_as.empty() ? BuiltInPrincipalId(principal->function)
                                              : principal->run_as) {}

Status CallAccess::Denied(std::string_view why) const {
  std::string message("access denied: function ");
  message.append(principal_->function).append(" running as ").append(principal_id_);
  if (principal_->run_as.empty()) message.append(" (built-in principal)");
  return {ErrorCode::kAccessDenied, message.append(why)};
}

Status CallAccess::Resolve() {
  if (resolved_) return Status::OK();
  policy::AccessCache* access = principal_->access;
  if (access == nullptr) return Denied(": no access control configured");
  if (principal_->run_as.empty()) {
    auto user = std::make_shared<policy::UserAccess>();
    user->name = principal_id_;
    user->principal = policy::Principal::User(principal_id_, principal_id_);
    user->policy = std::make_shared<const policy::Policy>(BuiltInPolicy(event_bucket_, event_key_));
    user_ = std::move(user);
  } else if (access->IsRoot(principal_->run_as)) {
    root_ = true;
  } else {
    auto user = access->User(principal_->run_as);
    if (!user.ok()) {
      if (user.status().code() == ErrorCode::kInvalidAccessKeyId) {
        return Denied(": no such user (run_as names no access key of this server)");
      }
      return user.status();
    }
    user_ = std::move(user).value();
  }
  resolved_ = true;
  return Status::OK();
}

Status CallAccess::Check(std::string_view action, std::string_view bucket_name,
                         std::string_view key) {
  KUMO_RETURN_IF_ERROR(Resolve());
  if (root_) return Status::OK();
  KUMO_ASSIGN_OR_RETURN(std::shared_ptr<const policy::BucketAccess> bucket,
                        principal_->access->Bucket(bucket_name));
  // NoSuchBucket is the operation's answer, as for S3 requests.
  if (!bucket) return Status::OK();
  const std::string resource =
      key.empty() ? policy::BucketArn(bucket_name) : policy::ObjectArn(bucket_name, key);
  storage::Store* store = principal_->store;
  policy::AccessRequest request;
  request.user = user_.get();
  request.action = action;
  request.resource = resource;
  request.bucket = bucket.get();
  request.conditions = [&](policy::RequestContext* out) {
    const int64_t now = NowMillis();
    out->Set("aws:CurrentTime", FormatIso8601Millis(now));
    out->Set("aws:EpochTime", std::to_string(now / 1000));
    out->Set("aws:username", user_->name);
    out->Set("aws:userid", user_->name);
    out->Set("aws:PrincipalType", "User");
    if (key.empty()) return;
    out->Set(kObjectKeyCondition, std::string(key));
    const bool reads_tags = bucket->policy_reads_object_tags || user_->policy_reads_object_tags;
    if (reads_tags && store != nullptr) AddExistingObjectTags(store, bucket_name, key, out);
  };
  if (!key.empty() && store != nullptr) {
    request.object = [&] { return LoadObjectAccess(store, bucket_name, key); };
  }
  if (policy::Decide(request) == policy::Decision::kAllow) return Status::OK();
  return Denied(std::string(" may not ").append(action).append(" on ").append(resource));
}

}  // namespace kumo::events
