// Catalog's rebuild: every bucket of the store scanned page by page, each object
// refreshed, rows the store no longer has removed, then the cursor set to the watermark
// seen before the scan (every change up to it is visible to the scan; later ones are
// the follower's).
#include <spdlog/spdlog.h>

#include <set>

#include "catalog/catalog.h"
#include "common/time_util.h"

namespace kumo::catalog {
namespace {
constexpr size_t kPage = 1000;
}  // namespace

Status Catalog::RebuildNow() {
  {
    std::lock_guard lock(mu_);
    if (rebuilding_.load()) {
      return Status(ErrorCode::kInvalidRequest, "a catalog rebuild is already running");
    }
    rebuilding_.store(true);
    rebuild_scanned_.store(0);
  }
  Status s = Rebuild();
  {
    std::lock_guard lock(state_mu_);
    rebuilding_.store(false);
  }
  state_cv_.notify_all();
  return s;
}

Status Catalog::Rebuild() {
  const int64_t started = NowMillis();
  // Read after rebuilding_ was set under the writer mutex: no batch commits past it.
  const uint64_t watermark = store_->events()->Watermark();
  KUMO_ASSIGN_OR_RETURN(std::vector<storage::BucketInfo> buckets, store_->ListBuckets());
  std::set<std::string> names;
  for (const auto& b : buckets) {
    if (stopping()) return Status(ErrorCode::kServiceUnavailable, "the catalog is stopping");
    names.insert(b.name);
    KUMO_RETURN_IF_ERROR(RebuildBucket(b.name));
  }
  std::lock_guard lock(mu_);
  Transaction txn(&db_);
  KUMO_RETURN_IF_ERROR(txn.Begin());
  KUMO_ASSIGN_OR_RETURN(std::vector<std::string> cataloged, rows_->Buckets());
  for (const auto& b : cataloged) {
    if (names.count(b) != 0) continue;
    KUMO_ASSIGN_OR_RETURN(int64_t n, rows_->DeleteBucket(b));
    spdlog::info("catalog: bucket {} is gone: {} row(s) removed", b, n);
  }
  // Counted again rather than summed: the rebuild also repairs a count gone astray.
  KUMO_ASSIGN_OR_RETURN(int64_t objects, rows_->Count());
  const int64_t finished = NowMillis();
  KUMO_RETURN_IF_ERROR(rows_->SetCursor(watermark));
  KUMO_RETURN_IF_ERROR(rows_->SetState("rebuilt_ms", finished));
  KUMO_RETURN_IF_ERROR(txn.Commit());
  objects_.store(objects);
  cursor_.store(watermark);
  rebuilt_ms_.store(finished);
  spdlog::info("catalog: rebuilt from {} bucket(s), {} object(s) in {} ms; cursor {}",
               buckets.size(), rebuild_scanned_.load(), finished - started, watermark);
  return Status::OK();
}

Status Catalog::RebuildBucket(const std::string& bucket) {
  storage::ListOptions list;
  list.max_keys = kPage;
  list.with_meta = false;  // each object is refreshed from HeadObject, under the mutex
  std::string after;
  for (;;) {
    if (stopping()) return Status(ErrorCode::kServiceUnavailable, "the catalog is stopping");
    list.start_after = after;
    auto page = store_->ListObjects(bucket, list);
    // Deleted meanwhile: its rows go at the end (or by the follower's events).
    if (!page.ok() && page.status().Is(ErrorCode::kNoSuchBucket)) return Status::OK();
    if (!page.ok()) return page.status();
    std::set<std::string> listed;
    for (const auto& e : page->objects) listed.insert(e.key);
    const std::string through = page->truncated ? page->last_returned : std::string();

    std::lock_guard lock(mu_);
    Transaction txn(&db_);
    KUMO_RETURN_IF_ERROR(txn.Begin());
    int64_t delta = 0;
    for (const auto& key : listed) {
      KUMO_ASSIGN_OR_RETURN(ObjectRows::Delta d, rows_->Refresh(store_, bucket, key, 0));
      delta += d;
    }
    // Rows in this page's key range that the listing did not have: refreshed too, which
    // removes them unless the object appeared since the listing.
    KUMO_ASSIGN_OR_RETURN(std::vector<std::string> rows,
                          rows_->KeysBetween(bucket, after, through));
    for (const auto& key : rows) {
      if (listed.count(key) != 0) continue;
      KUMO_ASSIGN_OR_RETURN(ObjectRows::Delta d, rows_->Refresh(store_, bucket, key, 0));
      delta += d;
    }
    KUMO_RETURN_IF_ERROR(txn.Commit());
    objects_.fetch_add(delta);
    rebuild_scanned_.fetch_add(listed.size());
    if (!page->truncated) return Status::OK();
    after = page->last_returned;
  }
}

}  // namespace kumo::catalog
