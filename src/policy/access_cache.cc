#include "policy/access_cache.h"

#include <mutex>

namespace kumo::policy {

AccessCache::AccessCache(std::string root_access_key, BucketLoader bucket_loader,
                         UserLoader user_loader)
    : root_access_key_(std::move(root_access_key)),
      bucket_loader_(std::move(bucket_loader)),
      user_loader_(std::move(user_loader)) {}

template <typename T, typename Loader>
Result<std::shared_ptr<const T>> AccessCache::Get(Map<T>& map, const Loader& loader,
                                                  std::string_view name) {
  uint64_t generation;
  {
    std::shared_lock lock(mu_);
    auto it = map.find(name);
    if (it != map.end()) return it->second;
    generation = generation_;
  }
  KUMO_ASSIGN_OR_RETURN(std::shared_ptr<const T> loaded, loader(name));
  // Missing buckets are not cached: CreateBucket would have to invalidate a negative
  // entry, and a request for a missing bucket ends in NoSuchBucket anyway.
  if (loaded) {
    std::unique_lock lock(mu_);
    if (generation == generation_) map.emplace(std::string(name), loaded);
  }
  return loaded;
}

Result<std::shared_ptr<const BucketAccess>> AccessCache::Bucket(std::string_view name) {
  return Get(buckets_, bucket_loader_, name);
}

Result<std::shared_ptr<const UserAccess>> AccessCache::User(std::string_view access_key) {
  return Get(users_, user_loader_, access_key);
}

void AccessCache::BucketChanged(std::string_view name) {
  std::unique_lock lock(mu_);
  ++generation_;
  if (auto it = buckets_.find(name); it != buckets_.end()) buckets_.erase(it);
}

void AccessCache::UserChanged(std::string_view access_key) {
  std::unique_lock lock(mu_);
  ++generation_;
  if (auto it = users_.find(access_key); it != users_.end()) users_.erase(it);
}

}  // namespace kumo::policy
