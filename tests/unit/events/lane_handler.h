// A thread-safe fake Handler of configurable concurrency for the laned-delivery tests:
// it records every call, counts calls in flight (overall and per key, flagging two at
// once for one key), can hold calls until a number of them run at once (a rendezvous),
// hold the calls of a key behind a gate, fail the calls of a key, and add jitter.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "events/handler.h"

namespace kumo::events::testing {

class LaneHandler final : public Handler {
 public:
  LaneHandler(const std::string& id, int concurrency)
      : name_("fake:" + id), arn_("arn:kumo:sqs::" + id + ":fake"), concurrency_(concurrency) {}

  const std::string& name() const override { return name_; }
  const std::string& arn() const override { return arn_; }
  int concurrency() const override { return concurrency_; }

  DeliveryResult Deliver(const storage::EventRecord& record, const std::string&) override {
    std::unique_lock lock(mu_);
    calls_.push_back(record);
    if (++in_flight_key_[record.key] > 1) ++same_key_overlaps_;
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    cv_.notify_all();
    if (rendezvous_ > 0 &&
        !cv_.wait_for(lock, kTimeout, [&] { return max_in_flight_ >= rendezvous_; })) {
      rendezvous_ = 0;  // failed: the test sees max_in_flight() short; do not wait again
    }
    if (gated_.count(record.key) > 0) {
      cv_.wait_for(lock, kTimeout, [&] { return gated_.count(record.key) == 0; });
    }
    if (jitter_us_ > 0) {  // vary the interleaving of lanes
      thread_local std::mt19937 rng(std::random_device{}());
      const int us = static_cast<int>(rng() % static_cast<unsigned>(jitter_us_));
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(us));
      lock.lock();
    }
    DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
    auto failing = failing_.find(record.key);
    if (failing != failing_.end() && failing->second.times != 0) {
      outcome = failing->second.outcome;
      if (failing->second.times > 0) --failing->second.times;
    }
    --in_flight_;
    --in_flight_key_[record.key];
    cv_.notify_all();
    if (outcome == DeliveryOutcome::kDelivered) return {};
    return {outcome, "lane failure"};
  }

  // Calls wait (up to kTimeout) until n calls have been in flight at once.
  void Rendezvous(int n) {
    std::lock_guard lock(mu_);
    rendezvous_ = n;
  }
  // Each call sleeps a random time below us microseconds.
  void Jitter(int us) {
    std::lock_guard lock(mu_);
    jitter_us_ = us;
  }
  // Calls for key wait (up to kTimeout) until Open(key).
  void Gate(const std::string& key) {
    std::lock_guard lock(mu_);
    gated_.insert(key);
  }
  void Open(const std::string& key) {
    std::lock_guard lock(mu_);
    gated_.erase(key);
    cv_.notify_all();
  }
  // The next `times` calls for key (all when negative) answer outcome.
  void Fail(const std::string& key, DeliveryOutcome outcome, int times = -1) {
    std::lock_guard lock(mu_);
    failing_[key] = {outcome, times};
  }
  // Waits (up to kTimeout) until a call for key is in flight.
  bool WaitInFlight(const std::string& key) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kTimeout, [&] { return in_flight_key_[key] > 0; });
  }

  std::vector<storage::EventRecord> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  size_t CallCount() {
    std::lock_guard lock(mu_);
    return calls_.size();
  }
  size_t CallCount(const std::string& key) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& c : calls_) n += c.key == key ? 1 : 0;
    return n;
  }
  int max_in_flight() {
    std::lock_guard lock(mu_);
    return max_in_flight_;
  }
  int same_key_overlaps() {
    std::lock_guard lock(mu_);
    return same_key_overlaps_;
  }

  static constexpr std::chrono::seconds kTimeout{10};

 private:
  const std::string name_;
  const std::string arn_;
  const int concurrency_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<storage::EventRecord> calls_;
  std::map<std::string, int> in_flight_key_;
  std::set<std::string> gated_;
  struct Failure {
    DeliveryOutcome outcome;
    int times;
  };
  std::map<std::string, Failure> failing_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  int same_key_overlaps_ = 0;
  int rendezvous_ = 0;
  int jitter_us_ = 0;
};

}  // namespace kumo::events::testing
