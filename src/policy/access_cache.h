// The access snapshots of buckets and users, cached in memory and rebuilt after a change.
// Loading reads the store (through the loaders the server wires in) and parses policies,
// so it happens once per change, never per request.
//
// Invalidation: whoever changes what a snapshot is built from (a bucket's owner, policy,
// ACL, ownership or public access block; a user's policy) calls BucketChanged/UserChanged
// after the change is durable. A load that raced with the change is not cached (a
// generation counter), so no stale snapshot outlives the call.
// Thread safety: thread-safe; mu_ guards the maps.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "policy/access.h"

namespace kumo::policy {

class AccessCache {
 public:
  // A bucket's snapshot, or null when it does not exist.
  using BucketLoader =
      std::function<Result<std::shared_ptr<const BucketAccess>>(std::string_view bucket)>;
  // A user's snapshot. Errors: kInvalidAccessKeyId when there is no such user.
  using UserLoader =
      std::function<Result<std::shared_ptr<const UserAccess>>(std::string_view access_key)>;

  AccessCache(std::string root_access_key, BucketLoader bucket_loader, UserLoader user_loader);

  bool IsRoot(std::string_view access_key) const {
    return !access_key.empty() && access_key == root_access_key_;
  }
  const std::string& root_access_key() const { return root_access_key_; }

  Result<std::shared_ptr<const BucketAccess>> Bucket(std::string_view name);
  Result<std::shared_ptr<const UserAccess>> User(std::string_view access_key);

  void BucketChanged(std::string_view name);
  void UserChanged(std::string_view access_key);

 private:
  // Lets the maps be searched with a string_view, without building a std::string.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename T>
  using Map = std::unordered_map<std::string, std::shared_ptr<const T>, NameHash, std::equal_to<>>;

  template <typename T, typename Loader>
  Result<std::shared_ptr<const T>> Get(Map<T>& map, const Loader& loader, std::string_view name);

  const std::string root_access_key_;
  const BucketLoader bucket_loader_;
  const UserLoader user_loader_;
  mutable std::shared_mutex mu_;
  uint64_t generation_ = 0;    // GUARDED_BY(mu_); bumped by every change
  Map<BucketAccess> buckets_;  // GUARDED_BY(mu_)
  Map<UserAccess> users_;      // GUARDED_BY(mu_)
};

}  // namespace kumo::policy
