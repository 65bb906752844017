#include "catalog/catalog.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "catalog/attributes.h"
#include "catalog/schema.h"
#include "common/latency_histogram.h"
#include "common/thread_name.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace kumo::catalog {

namespace {

Result<Db> OpenWriter(const std::string& path) {
  KUMO_ASSIGN_OR_RETURN(Db db, Db::Open(path, /*read_only=*/false));
  KUMO_RETURN_IF_ERROR(CreateSchema(db));
  return db;
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const CatalogOptions& options,
                                               storage::Store* store) {
  if (!options.enabled) return std::unique_ptr<Catalog>();
  const std::string dir = CatalogDir(options.data_dir);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IOError("cannot create " + dir + ": " + std::strerror(errno));
  }
  const std::string path = CatalogDbPath(options.data_dir);
  auto db = OpenWriter(path);
  if (!db.ok() && db.status().Is(ErrorCode::kCorruption)) {
    // The catalog is derived data: a damaged file (or one of another schema version) is
    // set aside and the catalog built again from the store.
    const std::string aside = path + ".corrupt-" + std::to_string(NowMillis());
    spdlog::error("catalog: {}: {}; moved to {}, rebuilding from the store", path,
                  db.status().message(), aside);
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::rename(path + suffix, aside + suffix, ec);
    }
    db = OpenWriter(path);
  }
  if (!db.ok()) return db.status();
  std::unique_ptr<Catalog> c(new Catalog(options, store, std::move(db).value(), path));
  KUMO_ASSIGN_OR_RETURN(std::optional<uint64_t> cursor, c->rows_->Cursor());
  KUMO_ASSIGN_OR_RETURN(int64_t objects, c->rows_->Count());
  c->cursor_.store(cursor.value_or(0));
  c->objects_.store(objects);
  // The queue's sequences start above any written before this start (microseconds of
  // the wall clock, with room below): a write queued before a restart and not applied
  // yet is applied before the new ones, unless the clock went back meanwhile.
  c->pending_next_.store(static_cast<uint64_t>(NowMicros()) << 4);
  return c;
}

Catalog::Catalog(const CatalogOptions& options, storage::Store* store, Db db, std::string db_path)
    : options_(options),
      store_(store),
      db_path_(std::move(db_path)),
      db_(std::move(db)),
      rows_(std::make_unique<ObjectRows>(&db_)) {}

Catalog::~Catalog() { Stop(); }

namespace {

// True when events after cursor are gone from the outbox (trimmed by retention while the
// catalog was off or far behind): following it would skip them. Sequences that never
// committed leave gaps too, but not before the oldest record still kept.
Result<bool> TrimmedPast(storage::EventLog* log, uint64_t cursor) {
  if (log->Watermark() <= cursor) return false;
  KUMO_ASSIGN_OR_RETURN(std::vector<storage::EventRecord> oldest, log->Read(0, 1));
  return oldest.empty() || oldest.front().seq > cursor + 1;
}

}  // namespace

Status Catalog::Start() {
  timed_after_.store(store_->events()->Watermark());
  bool needs_rebuild = false;
  {
    std::lock_guard lock(mu_);
    KUMO_ASSIGN_OR_RETURN(std::optional<uint64_t> cursor, rows_->Cursor());
    needs_rebuild = !cursor.has_value();
    if (cursor) {
      KUMO_ASSIGN_OR_RETURN(bool trimmed, TrimmedPast(store_->events(), *cursor));
      if (trimmed) {
        spdlog::warn(
            "catalog: events after its cursor {} are no longer in the outbox (retention): "
            "rebuilding it from the store",
            *cursor);
        needs_rebuild = true;
      }
    }
  }
  {
    std::lock_guard lock(state_mu_);
    if (started_) return Status::Internal("the catalog is already started");
    started_ = true;
    stop_ = false;
  }
  if (needs_rebuild) {
    spdlog::info("catalog: {} has no cursor yet: building it from the store", db_path_);
    KUMO_RETURN_IF_ERROR(StartRebuild());
  }
  follower_ = std::thread([this] { FollowLoop(); });
  attribute_applier_ = std::thread([this] { AttributeLoop(); });
  return Status::OK();
}

void Catalog::Stop() {
  {
    std::lock_guard lock(state_mu_);
    stop_ = true;
  }
  state_cv_.notify_all();
  {
    std::lock_guard lock(pending_mu_);
    pending_signal_ = true;
  }
  pending_cv_.notify_all();
  if (follower_.joinable()) follower_.join();
  if (attribute_applier_.joinable()) attribute_applier_.join();
  if (rebuilder_.joinable()) rebuilder_.join();
  std::lock_guard lock(state_mu_);
  started_ = false;
}

Status Catalog::StartRebuild() {
  std::lock_guard state(state_mu_);
  if (stop_) return Status(ErrorCode::kServiceUnavailable, "the catalog is stopping");
  {
    // Under the writer mutex: a batch in progress commits before the rebuild begins, and
    // no batch starts after it.
    std::lock_guard lock(mu_);
    if (rebuilding_.load()) {
      return Status(ErrorCode::kInvalidRequest, "a catalog rebuild is already running");
    }
    rebuilding_.store(true);
    rebuild_scanned_.store(0);
  }
  if (rebuilder_.joinable()) rebuilder_.join();  // the previous one, finished
  rebuilder_ = std::thread([this] {
    SetThreadName("kumo-catalog-rb");
    int backoff = options_.initial_backoff_ms;
    for (;;) {
      Status s = Rebuild();
      if (s.ok() || stopping()) break;
      RecordError("rebuild", s);
      bool has_cursor = false;
      {
        std::lock_guard lock(mu_);
        auto cursor = rows_->Cursor();
        has_cursor = cursor.ok() && cursor->has_value();
      }
      // Without a cursor the follower has nowhere to start from: try again.
      if (has_cursor || !PauseFor(backoff)) break;
      backoff = std::min(backoff * 2, options_.max_backoff_ms);
    }
    {
      std::lock_guard lock(state_mu_);  // the follower waits on it under state_mu_
      rebuilding_.store(false);
    }
    state_cv_.notify_all();
  });
  return Status::OK();
}

CatalogStatus Catalog::GetStatus() {
  CatalogStatus s;
  storage::EventLog* log = store_->events();
  s.cursor = cursor_.load();
  s.watermark = log->Watermark();
  s.lag_events = s.watermark > s.cursor ? s.watermark - s.cursor : 0;
  if (s.lag_events > 0) {
    auto next = log->Read(s.cursor, 1);
    if (next.ok() && !next->empty()) {
      s.lag_ms = std::max<int64_t>(0, NowMillis() - next->front().time_ms);
    }
  }
  s.objects = objects_.load();
  std::error_code ec;
  for (const std::string& f : {db_path_, db_path_ + "-wal"}) {
    uintmax_t n = std::filesystem::file_size(f, ec);
    if (!ec) s.db_bytes += n;
  }
  s.rebuilding = rebuilding_.load();
  s.rebuild_scanned = rebuild_scanned_.load();
  s.rebuilt_ms = rebuilt_ms_.load();
  s.errors = errors_.load();
  std::lock_guard lock(state_mu_);
  s.last_error = last_error_;
  return s;
}

void Catalog::RecordError(const std::string& what, const Status& s) {
  errors_.fetch_add(1);
  spdlog::error("catalog: {}: {}", what, s.ToString());
  std::lock_guard lock(state_mu_);
  last_error_ = what + ": " + s.ToString();
}

bool Catalog::stopping() {
  std::lock_guard lock(state_mu_);
  return stop_;
}

bool Catalog::PauseFor(int ms) {
  std::unique_lock lock(state_mu_);
  return !state_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_; });
}

namespace {

Status CheckNamespace(std::string_view ns) {
  if (ns.empty() || ns.size() > kMaxAttributeName) {
    return Status::InvalidArgument("a catalog namespace is 1 to " +
                                   std::to_string(kMaxAttributeName) + " bytes");
  }
  if (ns == kS3Namespace) {
    return Status::InvalidArgument("the catalog namespace \"s3\" is reserved");
  }
  return Status::OK();
}

std::string_view Unquoted(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

}  // namespace

Result<bool> Catalog::PutAttributes(std::string_view bucket, std::string_view key,
                                    std::string_view etag, std::string_view ns,
                                    std::string_view attributes_json, std::string_view text) {
  KUMO_RETURN_IF_ERROR(CheckNamespace(ns));
  // Validated now, so that a bad call fails with its reason; applied later.
  KUMO_RETURN_IF_ERROR(FlattenAttributes(attributes_json).status());
  etag = Unquoted(etag);
  // The answer about the version is the store's (the catalog may not have seen the
  // object's event yet); the writer checks again when it applies the write.
  auto meta = store_->HeadObject(bucket, key);
  if (!meta.ok()) {
    if (meta.status().Is(ErrorCode::kNoSuchKey) || meta.status().Is(ErrorCode::kNoSuchBucket)) {
      return false;
    }
    return meta.status();
  }
  if (meta->etag != etag) return false;
  PendingAttributes p;
  p.bucket = std::string(bucket);
  p.key = std::string(key);
  p.etag = std::string(etag);
  p.ns = std::string(ns);
  p.attributes_json = std::string(attributes_json);
  p.text = std::string(TruncateUtf8(text, kMaxText));
  KUMO_RETURN_IF_ERROR(Enqueue(p));
  return true;
}

Status Catalog::RemoveAttributes(std::string_view bucket, std::string_view key,
                                 std::string_view ns) {
  KUMO_RETURN_IF_ERROR(CheckNamespace(ns));
  PendingAttributes p;
  p.remove = true;
  p.bucket = std::string(bucket);
  p.key = std::string(key);
  p.ns = std::string(ns);
  return Enqueue(p);
}

Status Catalog::Enqueue(const PendingAttributes& p) {
  const uint64_t seq = pending_next_.fetch_add(1);
  KUMO_RETURN_IF_ERROR(store_->events()->PutState(PendingKey(seq), EncodePending(p),
                                                  /*synced=*/false));
  {
    std::lock_guard lock(pending_mu_);
    pending_signal_ = true;
  }
  pending_cv_.notify_one();
  return Status::OK();
}

Result<size_t> Catalog::ApplyPendingBatch() {
  KUMO_ASSIGN_OR_RETURN(auto queued, store_->events()->ScanState(kPendingPrefix, options_.batch));
  if (queued.empty()) return size_t{0};
  std::vector<std::string> keys;
  keys.reserve(queued.size());
  {
    std::lock_guard lock(mu_);
    Transaction txn(&db_);
    KUMO_RETURN_IF_ERROR(txn.Begin());
    int64_t delta = 0;
    for (const auto& [k, v] : queued) {
      keys.push_back(k);
      PendingAttributes p;
      if (!DecodePending(v, &p)) {
        spdlog::error("catalog: dropping an unreadable queued attribute write {}", k);
        continue;
      }
      if (p.remove) {
        KUMO_ASSIGN_OR_RETURN(std::optional<ObjectRows::Found> found, rows_->Find(p.bucket, p.key));
        if (found) KUMO_RETURN_IF_ERROR(rows_->RemoveNamespace(found->id, p.ns));
        continue;
      }
      auto attrs = FlattenAttributes(p.attributes_json);
      if (!attrs.ok()) continue;  // validated when queued; cannot happen
      KUMO_ASSIGN_OR_RETURN(std::optional<ObjectRows::Found> found, rows_->Find(p.bucket, p.key));
      if (!found || found->etag != p.etag) {
        // The catalog has not seen this version (or has seen a newer one): the row first
        // reflects the store now, so attributes of a version overwritten since the call
        // are discarded. A row already at this version needs no refresh: an overwrite
        // after it reaches the row through its own event, which drops the attributes.
        KUMO_ASSIGN_OR_RETURN(ObjectRows::Delta d, rows_->Refresh(store_, p.bucket, p.key, 0));
        delta += d;
        KUMO_ASSIGN_OR_RETURN(found, rows_->Find(p.bucket, p.key));
      }
      if (found && found->etag == p.etag) {
        KUMO_RETURN_IF_ERROR(rows_->ReplaceNamespace(found->id, p.ns, *attrs, p.text));
      }
    }
    KUMO_RETURN_IF_ERROR(txn.Commit());
    objects_.fetch_add(delta);
  }
  // After the commit: a crash before this line applies the batch again, harmlessly.
  KUMO_RETURN_IF_ERROR(store_->events()->DeleteStates(keys, /*synced=*/false));
  return keys.size();
}

Status Catalog::ApplyPendingAttributes() {
  for (;;) {
    KUMO_ASSIGN_OR_RETURN(size_t n, ApplyPendingBatch());
    if (n == 0) return Status::OK();
  }
}

void Catalog::AttributeLoop() {
  SetThreadName("kumo-catalog-at");
  int backoff = options_.initial_backoff_ms;
  for (;;) {
    {
      std::unique_lock lock(pending_mu_);
      // Also wakes up now and then: writes queued before a restart need no signal.
      pending_cv_.wait_for(lock, std::chrono::milliseconds(500),
                           [this] { return pending_signal_; });
      pending_signal_ = false;
    }
    if (stopping()) break;
    auto applied = ApplyPendingBatch();
    while (applied.ok() && *applied > 0 && !stopping()) applied = ApplyPendingBatch();
    if (applied.ok()) {
      backoff = options_.initial_backoff_ms;
      continue;
    }
    RecordError("applying queued attribute writes", applied.status());
    if (!PauseFor(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff_ms);
  }
}

}  // namespace kumo::catalog
