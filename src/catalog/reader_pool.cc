#include "catalog/reader_pool.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <map>
#include <mutex>
#include <vector>

#include "catalog/search_sql.h"

namespace kumo::catalog {

namespace {

constexpr size_t kMaxIdlePerPath = 8;

// The file a path names now (a damaged catalog.db is set aside and a new one made: pooled
// connections to the old file must not be handed out).
using FileId = std::pair<dev_t, ino_t>;

FileId IdOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {0, 0};
  return {st.st_dev, st.st_ino};
}

struct Idle {
  FileId file{0, 0};
  std::vector<Db> dbs;
};

struct Pool {
  std::mutex mu;
  std::map<std::string, Idle> idle;  // GUARDED_BY(mu)
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: leases may outlive static destruction
  return *pool;
}

void DistanceKm(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  }
  sqlite3_result_double(ctx,
                        HaversineKm(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1]),
                                    sqlite3_value_double(argv[2]), sqlite3_value_double(argv[3])));
}

Result<Db> OpenReader(const std::string& path) {
  KUMO_ASSIGN_OR_RETURN(Db db, Db::Open(path, /*read_only=*/true));
  KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA mmap_size = 1073741824"));
  KUMO_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -16384"));
  int rc = sqlite3_create_function_v2(db.raw(), "kumo_distance_km", 4,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, DistanceKm,
                                      nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db.raw(), rc, "registering kumo_distance_km");
  return db;
}

}  // namespace

ReaderLease::~ReaderLease() {
  if (db_.raw() == nullptr) return;                                              // moved from
  if (!sqlite3_get_autocommit(db_.raw()) && !db_.Exec("ROLLBACK").ok()) return;  // dropped
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mu);
  Idle& idle = pool.idle[path_];
  if (idle.file == file_ && idle.dbs.size() < kMaxIdlePerPath) idle.dbs.push_back(std::move(db_));
}

Result<ReaderLease> AcquireReader(const std::string& db_path) {
  const FileId file = IdOf(db_path);
  {
    Pool& pool = ThePool();
    std::lock_guard<std::mutex> lock(pool.mu);
    Idle& idle = pool.idle[db_path];
    if (idle.file != file) {  // another file now: drop the connections to the old one
      idle.dbs.clear();
      idle.file = file;
    }
    if (!idle.dbs.empty()) {
      Db db = std::move(idle.dbs.back());
      idle.dbs.pop_back();
      return ReaderLease(db_path, file, std::move(db));
    }
  }
  KUMO_ASSIGN_OR_RETURN(Db db, OpenReader(db_path));
  return ReaderLease(db_path, file, std::move(db));
}

}  // namespace kumo::catalog
