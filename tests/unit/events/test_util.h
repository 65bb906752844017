// Helpers shared by the events tests: a store on a temporary directory, objects written
// with their outbox events, notification configurations, and a scriptable fake Handler.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../storage/test_util.h"
#include "events/handler.h"
#include "storage/store.h"

namespace kumo::events::testing {

// A temporary data directory per test, shared with the storage tests.
using storage::testing::TempDir;

inline std::unique_ptr<storage::Store> OpenStore(const std::string& dir) {
  storage::StoreOptions o;
  o.data_dir = dir;
  o.compaction_interval_ms = 0;
  auto r = storage::Store::Open(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

inline void MakeBucket(storage::Store* s, const std::string& name) {
  storage::BucketInfo b;
  b.name = name;
  b.owner = "owner";
  Status st = s->CreateBucket(b);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

inline storage::EventIntent Intent(std::string name, uint32_t depth = 0) {
  storage::EventIntent i;
  i.name = std::move(name);
  i.request_id = "REQ1";
  i.principal = "owner";
  i.source_ip = "127.0.0.1";
  i.depth = depth;
  return i;
}

// Writes an object with an ObjectCreated:Put event (or the given intent).
inline void PutObject(storage::Store* s, const std::string& bucket, const std::string& key,
                      const std::string& data = "data", uint32_t depth = 0) {
  auto w = s->NewObjectWriter(bucket, key, static_cast<int64_t>(data.size()));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Append(data).ok());
  storage::ObjectMeta meta;
  meta.etag = "0123456789abcdef0123456789abcdef";
  auto intent = Intent("ObjectCreated:Put", depth);
  auto committed = (*w)->Commit(meta, &intent);
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
}

inline void DeleteObject(storage::Store* s, const std::string& bucket, const std::string& key) {
  auto intent = Intent("ObjectRemoved:Delete");
  Status st = s->DeleteObject(bucket, key, &intent);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

// One <QueueConfiguration> of a NotificationConfiguration document.
inline std::string QueueRule(const std::string& id, const std::string& arn,
                             const std::vector<std::string>& events, const std::string& prefix = "",
                             const std::string& suffix = "") {
  std::string x = "<QueueConfiguration><Id>" + id + "</Id><Queue>" + arn + "</Queue>";
  for (const auto& e : events) x += "<Event>" + e + "</Event>";
  if (!prefix.empty() || !suffix.empty()) {
    x += "<Filter><S3Key>";
    if (!prefix.empty())
      x += "<FilterRule><Name>prefix</Name><Value>" + prefix + "</Value></FilterRule>";
    if (!suffix.empty())
      x += "<FilterRule><Name>suffix</Name><Value>" + suffix + "</Value></FilterRule>";
    x += "</S3Key></Filter>";
  }
  return x + "</QueueConfiguration>";
}

inline void SetNotification(storage::Store* s, const std::string& bucket,
                            const std::vector<std::string>& rules) {
  std::string xml = "<NotificationConfiguration>";
  for (const auto& r : rules) xml += r;
  xml += "</NotificationConfiguration>";
  Status st = s->PutBucketConfig(bucket, "notification", xml);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

// Polls until pred() or timeout; returns pred().
inline bool WaitUntil(const std::function<bool()>& pred, int timeout_ms = 10000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

// Records every delivery; answers from a script, then with a default outcome.
class FakeHandler final : public Handler {
 public:
  struct Call {
    storage::EventRecord record;
    std::string payload;
  };

  explicit FakeHandler(const std::string& id)
      : name_("fake:" + id), arn_("arn:kumo:sqs::" + id + ":fake") {}

  const std::string& name() const override { return name_; }
  const std::string& arn() const override { return arn_; }
  DeliveryResult Deliver(const storage::EventRecord& record, const std::string& payload) override {
    DeliveryOutcome outcome;
    int delay_ms;
    std::string error;
    {
      std::lock_guard lock(mu_);
      calls_.push_back({record, payload});
      if (throws_ > 0) {
        --throws_;
        throw std::runtime_error("fake exception");
      }
      error = error_;
      if (!script_.empty()) {
        outcome = script_.front();
        script_.pop_front();
      } else {
        outcome = default_;
      }
      delay_ms = delay_ms_;
    }
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (outcome == DeliveryOutcome::kDelivered) return {};
    return {outcome, error};
  }
  // The reason of failed deliveries (default "fake failure").
  void SetError(std::string error) {
    std::lock_guard lock(mu_);
    error_ = std::move(error);
  }
  // The next n calls throw instead of returning.
  void ThrowNext(int n) {
    std::lock_guard lock(mu_);
    throws_ = n;
  }

  void Script(std::vector<DeliveryOutcome> outcomes) {
    std::lock_guard lock(mu_);
    script_.assign(outcomes.begin(), outcomes.end());
  }
  void SetDefault(DeliveryOutcome outcome) {
    std::lock_guard lock(mu_);
    default_ = outcome;
  }
  void SetDelay(int ms) {
    std::lock_guard lock(mu_);
    delay_ms_ = ms;
  }
  std::vector<Call> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  size_t CallCount() {
    std::lock_guard lock(mu_);
    return calls_.size();
  }
  // Keys of the delivered calls, in order.
  std::vector<std::string> Keys() {
    std::lock_guard lock(mu_);
    std::vector<std::string> keys;
    for (const auto& c : calls_) keys.push_back(c.record.key);
    return keys;
  }

 private:
  const std::string name_;
  const std::string arn_;
  std::mutex mu_;
  std::vector<Call> calls_;
  std::deque<DeliveryOutcome> script_;
  DeliveryOutcome default_ = DeliveryOutcome::kDelivered;
  int delay_ms_ = 0;
  int throws_ = 0;
  std::string error_ = "fake failure";
};

}  // namespace kumo::events::testing
