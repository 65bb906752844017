#include "events/bucket_rules.h"

#include <spdlog/spdlog.h>

#include "common/time_util.h"

namespace kumo::events {

Result<std::shared_ptr<const NotificationConfig>> BucketRules::Rules(const std::string& bucket) {
  int64_t now = NowMillis();
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(bucket);
    if (it != cache_.end() && now - it->second.loaded_ms < ttl_ms_) return it->second.config;
    generation = generation_;
  }
  KUMO_ASSIGN_OR_RETURN(auto config, Load(bucket));
  std::lock_guard lock(mu_);
  // An Invalidate that ran while we read the store may have made what we read stale:
  // use it this once, but do not cache it.
  if (generation == generation_) cache_[bucket] = Entry{config, now};
  return config;
}

void BucketRules::Invalidate(const std::string& bucket) {
  std::lock_guard lock(mu_);
  cache_.erase(bucket);
  ++generation_;
}

Result<std::shared_ptr<const NotificationConfig>> BucketRules::Load(const std::string& bucket) {
  KUMO_ASSIGN_OR_RETURN(NotificationConfig config, LoadStored(bucket));
  for (const auto& b : bindings_) {
    if (b.bucket == "*" || b.bucket == bucket) config.rules.push_back(b.rule);
  }
  return std::shared_ptr<const NotificationConfig>(
      std::make_shared<const NotificationConfig>(std::move(config)));
}

Result<NotificationConfig> BucketRules::LoadStored(const std::string& bucket) {
  auto stored = store_->GetBucketConfig(bucket, "notification");
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) return NotificationConfig{};
    return stored.status();
  }
  if (!stored->has_value() || (*stored)->empty()) return NotificationConfig{};
  // The document was validated when it was set; handlers that have since left the
  // configuration simply match no worker.
  auto parsed = ParseNotificationConfig(**stored, [](const std::string&) { return true; });
  if (!parsed.ok()) {
    spdlog::warn("events: ignoring the notification configuration of bucket {}: {}", bucket,
                 parsed.status().ToString());
    return NotificationConfig{};
  }
  return std::move(parsed).value();
}

}  // namespace kumo::events
