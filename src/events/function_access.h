// Who a function acts as, and the access decision for each host API call it makes
// (include/kumo/plugin.h, ARCHITECTURE §4): every call that touches a bucket or an object
// is decided by policy::Decide, the decision S3 requests get (s3/authorize.cc), as the
// function's principal:
// - [functions.<name>] run_as = "<access key>": that user, resolved at call time (users
//   may be created after kumod starts; an unknown one makes every call denied). Root's
//   key is allowed everything, as root is over S3.
// - no run_as: the built-in principal "function:<name>", whose identity policy
//   (BuiltInPolicy) is built per event: it may read the event's object (and its tags)
//   only and write (s3:PutObject, s3:PutObjectTagging, s3:DeleteObject,
//   kumo:PutCatalogAttributes) only into the event's bucket. Bucket policies
//   and ACLs apply to it as to any user of the account: an explicit Deny always wins,
//   and what a bucket grants everyone (or every user of the account) it may do too.
// A call on a bucket that does not exist is left to the operation (NoSuchBucket), as in
// s3/authorize.cc.
//
// [Threading] FunctionPrincipal is immutable once the function is created and shared by
// its calls. A CallAccess belongs to one kumo_call and is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "policy/access_cache.h"
#include "policy/policy_document.h"
#include "storage/store.h"

namespace kumo::events {

// Who one function instance acts as.
struct FunctionPrincipal {
  std::string function;                   // the function's name
  std::string run_as;                     // an access key; empty: the built-in principal
  policy::AccessCache* access = nullptr;  // null: every call is denied
  storage::Store* store = nullptr;        // read for object ACLs and tags the decision needs
};

// "function:<name>": the built-in principal's id, in events (userIdentity.principalId)
// and as the owner of the objects it writes.
std::string BuiltInPrincipalId(std::string_view function);

// The built-in principal's identity policy for an event on (bucket, key): Allow
// s3:GetObject and s3:GetObjectTagging on arn:aws:s3:::<bucket>/<key> only, and
// s3:PutObject, s3:PutObjectTagging, s3:DeleteObject and kumo:PutCatalogAttributes on
// arn:aws:s3:::<bucket>/*. Nothing else is allowed. A key with
// '*' or '?' (glob characters of resource patterns) is matched exactly all the same,
// through the condition key kObjectKeyCondition that CallAccess fills.
policy::Policy BuiltInPolicy(std::string_view bucket, std::string_view key);

// The condition key holding the key of the object a host call addresses.
inline constexpr std::string_view kObjectKeyCondition = "kumo:ObjectKey";

// The access decisions of one call of handle(), for the event on (event_bucket,
// event_key). The principal is resolved at the first Check and kept for the call.
class CallAccess {
 public:
  CallAccess(const FunctionPrincipal* principal, std::string event_bucket, std::string event_key);

  // Decides action ("s3:PutObject") on the object (bucket, key), or on the bucket when
  // key is empty. Returns OK when allowed. Errors: kAccessDenied, "access denied:
  // function <name> running as <principal> may not <action> on <arn>" (or "...: no such
  // user" for an unknown run_as); the error of loading a snapshot (e.g. kIOError).
  Status Check(std::string_view action, std::string_view bucket, std::string_view key);

  // Whom the call's writes are made by: the run_as key, or BuiltInPrincipalId.
  const std::string& principal_id() const { return principal_id_; }

 private:
  Status Resolve();
  Status Denied(std::string_view why) const;

  const FunctionPrincipal* const principal_;
  const std::string event_bucket_;
  const std::string event_key_;
  const std::string principal_id_;
  bool resolved_ = false;
  bool root_ = false;
  std::shared_ptr<const policy::UserAccess> user_;
};

}  // namespace kumo::events
