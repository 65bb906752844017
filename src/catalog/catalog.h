// catalog::Catalog: the writer of the object catalog (ARCHITECTURE §5, catalog
// contract). It owns the one read-write connection to <data_dir>/catalog/catalog.db and
// keeps the database equal to the store:
//  - a follower thread reads the event outbox from the catalog's own cursor, refreshing
//    each object an event names, one transaction per batch that also stores the cursor
//    (so after a crash the catalog resumes exactly where its last commit left it);
//  - a rebuild (at first start, or on request) rescans every bucket;
//  - functions put attributes and text through the events::CatalogSink interface: each
//    call is checked against the store at once (a stale ETag is refused then), recorded
//    in the store's durable queue (pending_attributes.h) and applied by the attribute
//    thread in batches, one transaction for many objects, within milliseconds.
// Every write refreshes the object from the store's current record under the writer
// mutex, so re-delivered or older events never move a row back in time.
// Readers (search, SQL) open their own read-only connections on db_path().
//
// Thread safety: thread-safe. All database writes are serialized by one mutex; GetStatus
// does not wait for a running batch.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "catalog/object_row.h"
#include "catalog/pending_attributes.h"
#include "catalog/sqlite_db.h"
#include "common/latency_histogram.h"
#include "common/status.h"
#include "events/catalog_sink.h"
#include "storage/store.h"

namespace kumo::catalog {

struct CatalogOptions {
  std::string data_dir = "./data";
  bool enabled = true;  // false: Open returns a null catalog
  size_t batch = 512;   // events read and applied per transaction
  // Pause after a store or SQLite error, doubling up to max_backoff_ms.
  int initial_backoff_ms = 100;
  int max_backoff_ms = 5000;
};

struct CatalogStatus {
  uint64_t cursor = 0;     // the last event applied
  uint64_t watermark = 0;  // the outbox's
  uint64_t lag_events = 0;
  int64_t lag_ms = 0;  // age of the oldest event not applied yet, 0 when none
  int64_t objects = 0;
  uint64_t db_bytes = 0;  // catalog.db and its -wal
  bool rebuilding = false;
  uint64_t rebuild_scanned = 0;  // objects the running (or last) rebuild has refreshed
  int64_t rebuilt_ms = 0;        // when the last rebuild finished, 0: never
  uint64_t errors = 0;           // failed batches, rebuilds and attribute writes since start
  std::string last_error;        // empty: none since start
};

class Catalog : public events::CatalogSink {
 public:
  // Opens (creating when missing) the database; does not start anything. store must
  // outlive the catalog. Returns nullptr when options.enabled is false. A damaged file,
  // or one of an unknown schema version, is renamed catalog.db.corrupt-<ms> and a new one
  // created (Start then rebuilds it). Errors: kIOError (the directory or file).
  static Result<std::unique_ptr<Catalog>> Open(const CatalogOptions& options,
                                               storage::Store* store);
  ~Catalog() override;

  // Starts the follower thread; when the database has no cursor yet (a new catalog, or
  // a rebuild that never finished) a rebuild runs first. Errors: kInternalError when
  // already started.
  Status Start();
  // Stops the follower and any rebuild (a rebuild stopped midway leaves the catalog
  // correct: the follower resumes from the cursor it had). Idempotent.
  void Stop();

  // Starts a rebuild on its own thread; the follower pauses until it finishes.
  // Errors: kInvalidRequest when one is already running.
  Status StartRebuild();

  CatalogStatus GetStatus();
  // Commit of each object event to the commit of the catalog transaction that applied
  // it, for the events written after Start (the backlog found at start is not timed).
  LatencySnapshot apply_latency() const { return apply_latency_.Snapshot(); }
  // The database file, for read-only connections.
  const std::string& db_path() const { return db_path_; }

  // events::CatalogSink.
  Result<bool> PutAttributes(std::string_view bucket, std::string_view key, std::string_view etag,
                             std::string_view ns, std::string_view attributes_json,
                             std::string_view text) override;
  Status RemoveAttributes(std::string_view bucket, std::string_view key,
                          std::string_view ns) override;

  // Applies every event up to the watermark and every queued attribute write now, on the
  // calling thread (tests; the threads do the same in batches). Returns the new cursor.
  Result<uint64_t> CatchUp();
  // Applies the queued attribute writes now, on the calling thread.
  Status ApplyPendingAttributes();
  // Runs a whole rebuild on the calling thread (tests; StartRebuild runs it on a thread).
  Status RebuildNow();

 private:
  Catalog(const CatalogOptions& options, storage::Store* store, Db db, std::string db_path);

  void FollowLoop();
  void AttributeLoop();
  // Applies one batch of queued attribute writes; returns how many (0: none queued).
  Result<size_t> ApplyPendingBatch();
  Status Enqueue(const PendingAttributes& p);
  // Reads and applies one batch after the cursor; returns false when there was nothing.
  Result<bool> ApplyNextBatch();
  Status Rebuild();
  Status RebuildBucket(const std::string& bucket);
  void RecordError(const std::string& what, const Status& s);
  // Sleeps up to ms unless stopping; false when stopping.
  bool PauseFor(int ms);
  bool stopping();

  const CatalogOptions options_;
  storage::Store* const store_;
  const std::string db_path_;

  std::mutex mu_;                     // the writer: db_, rows_, cursor_ in the database
  Db db_;                             // GUARDED_BY(mu_)
  std::unique_ptr<ObjectRows> rows_;  // GUARDED_BY(mu_)

  std::atomic<uint64_t> cursor_{0};  // mirror of the committed cursor (status)
  std::atomic<int64_t> objects_{0};  // rows in obj, kept by committed deltas
  std::atomic<bool> rebuilding_{false};
  std::atomic<uint64_t> rebuild_scanned_{0};
  std::atomic<int64_t> rebuilt_ms_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> timed_after_{0};  // the watermark at Start
  LatencyHistogram apply_latency_;

  std::mutex state_mu_;  // last_error_, threads, stop
  std::condition_variable state_cv_;
  std::string last_error_;  // GUARDED_BY(state_mu_)
  bool stop_ = false;       // GUARDED_BY(state_mu_)
  bool started_ = false;    // GUARDED_BY(state_mu_)
  std::thread follower_;
  std::thread attribute_applier_;
  std::atomic<uint64_t> pending_next_{1};  // the sequence of the next queued write
  std::mutex pending_mu_;
  std::condition_variable pending_cv_;
  bool pending_signal_ = false;  // GUARDED_BY(pending_mu_)
  std::thread rebuilder_;
};

}  // namespace kumo::catalog
