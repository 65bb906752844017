// Compactor: reclaims dead bytes of packed segments.
//
// A sealed segment whose dead/total ratio passes compaction_dead_ratio is scanned record
// by record; each record the index still points at is copied through the group
// committer into the current segment (durably) and repointed with a kRelocate mutation,
// which takes effect only if the index still points at the old place (a concurrent
// overwrite or delete wins). Once every live record has moved, the segment's accounting
// entry is deleted and the file unlinked; readers holding it keep their open fd.
// A segment with a corrupt record that is still live is left alone and reported.
//
// Thread safety: thread-safe; compaction runs are serialized by run_mu_. The background
// thread (period compaction_interval_ms, none when 0) runs the same code as CompactNow,
// then the optional `periodic` task (the store's other housekeeping, e.g. expiry of
// abandoned multipart uploads) on the same thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "storage/store_context.h"

namespace kumo::storage {

class Compactor {
 public:
  explicit Compactor(const StoreContext* ctx, std::function<void()> periodic = {});
  ~Compactor();  // stops and joins the background thread

  // Compacts every candidate segment; returns the first error (others still run).
  Status CompactNow();

 private:
  Status CompactSegment(uint64_t id);
  Status Relocate(std::vector<std::unique_ptr<GroupCommitter::Request>>* requests);
  Status DropSegment(uint64_t id);
  Result<bool> IsLive(const std::string& ikey, const Extent& where);
  void Run();

  static constexpr uint64_t kRelocateBatchBytes = 8 << 20;

  const StoreContext* const ctx_;
  const std::function<void()> periodic_;
  std::mutex run_mu_;  // held for a whole compaction run

  std::mutex mu_;
  std::condition_variable cv_;  // stop_ changed
  bool stop_ = false;           // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace kumo::storage
