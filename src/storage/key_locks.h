// KeyLocks: a fixed array of mutexes striped by index-key hash. Every mutation of an
// object's index record (put, delete, attribute update, compaction repoint) holds its
// key's stripe from reading the old record to writing the batch, so accounting of the old
// record's bytes happens exactly once even when writers race on the same key, and an
// attribute update never writes back a record that a put or delete has replaced.
// Readers take no lock.
//
// Thread safety: thread-safe. Lock() takes stripes in ascending order, so callers that
// lock several keys at once cannot deadlock each other.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

namespace kumo::storage {

class KeyLocks {
 public:
  class Guard {
   public:
    Guard() = default;
    Guard(Guard&&) = default;
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      for (auto it = held_.rbegin(); it != held_.rend(); ++it) (*it)->unlock();
    }

   private:
    friend class KeyLocks;
    std::vector<std::mutex*> held_;
  };

  Guard Lock(const std::vector<std::string_view>& keys) {
    std::vector<size_t> stripes;
    stripes.reserve(keys.size());
    for (std::string_view k : keys) stripes.push_back(std::hash<std::string_view>{}(k) % kStripes);
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    Guard g;
    for (size_t s : stripes) {
      mu_[s].lock();
      g.held_.push_back(&mu_[s]);
    }
    return g;
  }

 private:
  static constexpr size_t kStripes = 1024;
  std::array<std::mutex, kStripes> mu_;
};

}  // namespace kumo::storage
