// A cache of the buckets' notification configurations for the dispatcher's workers:
// the stored S3 XML parsed once, then served from memory until InvalidateBucket (the
// S3 operation that sets a configuration calls it) or until an entry is older than the
// TTL, which bounds staleness after a bucket is deleted and re-created. Bindings
// declared in the configuration file are appended to each bucket's stored rules.
// [Threading] Thread-safe; Rules may be called from every worker at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "events/notification_config.h"
#include "storage/store.h"

namespace kumo::events {

class BucketRules {
 public:
  explicit BucketRules(storage::Store* store, std::vector<StaticBinding> bindings = {},
                       int64_t ttl_ms = 5000)
      : store_(store), bindings_(std::move(bindings)), ttl_ms_(ttl_ms) {}

  // The bucket's configuration, never null: empty (no rules) when the bucket or its
  // configuration is missing or the stored document does not parse (logged).
  // Errors: the store's (kIOError, ...), which the caller should retry, not skip.
  Result<std::shared_ptr<const NotificationConfig>> Rules(const std::string& bucket);
  void Invalidate(const std::string& bucket);

 private:
  struct Entry {
    std::shared_ptr<const NotificationConfig> config;
    int64_t loaded_ms = 0;
  };
  Result<std::shared_ptr<const NotificationConfig>> Load(const std::string& bucket);
  Result<NotificationConfig> LoadStored(const std::string& bucket);

  storage::Store* const store_;
  const std::vector<StaticBinding> bindings_;
  const int64_t ttl_ms_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;             // GUARDED_BY(mu_): bumped by each Invalidate
};

}  // namespace kumo::events
