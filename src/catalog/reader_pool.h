// Read-only connections to catalog databases, kept between searches so that each search
// does not pay for opening the file, parsing the schema and a cold page cache. Each
// connection reads through mmap (the OS page cache is shared by all of them) and has
// kumo_distance_km(lat1, lon1, lat2, lon2) registered.
//
// Thread safety: Acquire and the Lease destructor are thread-safe (one mutex); a Lease's
// connection is used by its holder alone.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>

#include "catalog/sqlite_db.h"
#include "common/status.h"

namespace kumo::catalog {

// A connection borrowed from the pool; given back when destroyed (its read transaction,
// if any, rolled back first).
class ReaderLease {
 public:
  ReaderLease(std::string path, std::pair<dev_t, ino_t> file, Db db)
      : path_(std::move(path)), file_(file), db_(std::move(db)) {}
  ReaderLease(ReaderLease&&) = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease();

  Db& db() { return db_; }

 private:
  std::string path_;
  std::pair<dev_t, ino_t> file_;  // the file db_ was opened on
  Db db_;
};

// A pooled connection to db_path, or a new one. Pooled connections to a file that is no
// longer the one at db_path (the catalog replaced a damaged database) are dropped. Errors: kIOError
// (cannot open).
Result<ReaderLease> AcquireReader(const std::string& db_path);

}  // namespace kumo::catalog
