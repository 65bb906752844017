// Catalog's follower: the outbox after the catalog's cursor, applied in batches, one
// transaction per batch with the new cursor.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "catalog/catalog.h"
#include "common/thread_name.h"

namespace kumo::catalog {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Events that change an object the catalog describes. ObjectMetadata:Put is internal:
// the plugin host's set_metadata emits it.
bool IsObjectEvent(const storage::EventRecord& r) {
  if (r.bucket.empty() || r.key.empty()) return false;
  return StartsWith(r.name, "ObjectCreated:") || StartsWith(r.name, "ObjectRemoved:") ||
         StartsWith(r.name, "ObjectTagging:") || StartsWith(r.name, "LifecycleExpiration:") ||
         r.name == storage::kObjectMetadataEvent;
}

}  // namespace

void Catalog::FollowLoop() {
  SetThreadName("kumo-catalog");
  storage::EventLog* log = store_->events();
  int backoff = options_.initial_backoff_ms;
  for (;;) {
    {
      std::unique_lock lock(state_mu_);
      // A rebuild sets the cursor itself: wait for it.
      state_cv_.wait(lock, [this] { return stop_ || !rebuilding_.load(); });
      if (stop_) break;
    }
    const uint64_t cursor = cursor_.load();
    if (log->WaitPast(cursor, 500) <= cursor) continue;
    auto applied = ApplyNextBatch();
    if (applied.ok()) {
      backoff = options_.initial_backoff_ms;
      continue;
    }
    // The same batch again after the pause: events are never skipped.
    RecordError("applying events after " + std::to_string(cursor), applied.status());
    if (!PauseFor(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff_ms);
  }
}

Result<bool> Catalog::ApplyNextBatch() {
  storage::EventLog* log = store_->events();
  std::lock_guard lock(mu_);
  if (rebuilding_.load()) return false;
  const uint64_t cursor = cursor_.load();
  const uint64_t watermark = log->Watermark();
  if (watermark <= cursor) return false;
  KUMO_ASSIGN_OR_RETURN(std::vector<storage::EventRecord> batch, log->Read(cursor, options_.batch));
  // Each object once per batch: a refresh reads the store's current record anyway.
  std::map<std::pair<std::string, std::string>, uint64_t> objects;
  for (const auto& r : batch) {
    if (IsObjectEvent(r)) objects[{r.bucket, r.key}] = r.seq;
  }
  uint64_t next = batch.empty() ? watermark : batch.back().seq;
  // A short batch holds every record up to the watermark read before it, so sequences
  // that never committed (settled without a record) are passed too.
  if (batch.size() < options_.batch) next = std::max(next, watermark);

  Transaction txn(&db_);
  KUMO_RETURN_IF_ERROR(txn.Begin());
  int64_t delta = 0;
  for (const auto& [object, seq] : objects) {
    KUMO_ASSIGN_OR_RETURN(ObjectRows::Delta d,
                          rows_->Refresh(store_, object.first, object.second, seq));
    delta += d;
  }
  KUMO_RETURN_IF_ERROR(rows_->SetCursor(next));
  KUMO_RETURN_IF_ERROR(txn.Commit());
  const int64_t now_us = NowMicros();
  const uint64_t timed_after = timed_after_.load();
  for (const auto& r : batch) {
    if (r.seq > timed_after && IsObjectEvent(r)) apply_latency_.Record(now_us - r.time_ms * 1000);
  }
  cursor_.store(next);
  objects_.fetch_add(delta);
  return true;
}

Result<uint64_t> Catalog::CatchUp() {
  KUMO_RETURN_IF_ERROR(ApplyPendingAttributes());
  for (;;) {
    KUMO_ASSIGN_OR_RETURN(bool applied, ApplyNextBatch());
    if (!applied) break;
  }
  KUMO_RETURN_IF_ERROR(ApplyPendingAttributes());
  return cursor_.load();
}

}  // namespace kumo::catalog
