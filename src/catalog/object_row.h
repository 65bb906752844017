// The catalog's row-level writes (catalog contract, "Write semantics"): the refresh of
// one (bucket, key) from the store's current record, and the replacement of a function
// namespace's attributes and text. Each call runs inside the caller's transaction; the
// statements are prepared once and kept.
//
// Thread safety: not synchronized. An ObjectRows is used with its Db by one thread at a
// time (Catalog holds its writer mutex around every call).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/attributes.h"
#include "catalog/sqlite_db.h"
#include "common/status.h"
#include "storage/object_meta.h"
#include "storage/store.h"

namespace kumo::catalog {

// The catalog's own namespace: meta.<name> and tag.<key> attributes, key/meta text.
inline constexpr std::string_view kS3Namespace = "s3";

// What obj holds for one object (every column but id).
struct ObjectRow {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;
  std::string content_type;
  int64_t last_modified = 0;  // ms since the epoch
  std::string owner;
  std::string user_meta;  // JSON object text
  std::string tags;       // JSON object text
  std::string checksum_algorithm;
  int64_t parts = 0;
  uint64_t seq = 0;
};

// The row of the store's record of (bucket, key), refreshed by event seq (0: outside
// the event stream).
ObjectRow RowFromMeta(std::string_view bucket, std::string_view key,
                      const storage::ObjectMeta& meta, uint64_t seq);

// The s3 namespace's full-text "key" column: the key, then its words ('/', '.', '-' and
// '_' turned into spaces).
std::string KeyText(std::string_view key);

class ObjectRows {
 public:
  explicit ObjectRows(Db* db) : db_(db) {}

  // +1 when a refresh inserted a row, -1 when it deleted one, 0 otherwise.
  using Delta = int;

  // Makes (bucket, key)'s row reflect the store now: Store::HeadObject, then upsert, or
  // delete when it is absent (kNoSuchKey, kNoSuchBucket). An upsert that changes the
  // etag drops every non-s3 namespace of the object. seq 0 keeps the row's seq.
  // Errors: the store's other errors, SqliteError.
  Result<Delta> Refresh(storage::Store* store, std::string_view bucket, std::string_view key,
                        uint64_t seq);
  // The upsert half of Refresh, for a record already read.
  Result<Delta> Upsert(const ObjectRow& row);
  // Deletes the row and everything that hangs off it (no row: 0).
  Result<Delta> Delete(std::string_view bucket, std::string_view key);
  // Deletes every row of the bucket; returns how many.
  Result<int64_t> DeleteBucket(std::string_view bucket);

  struct Found {
    int64_t id = 0;
    std::string etag;
  };
  Result<std::optional<Found>> Find(std::string_view bucket, std::string_view key);

  // Replaces namespace ns of object id: its attributes and its full-text text (empty
  // text: no fts row).
  Status ReplaceNamespace(int64_t id, std::string_view ns, const std::vector<AttributeRow>& rows,
                          std::string_view text);
  Status RemoveNamespace(int64_t id, std::string_view ns);

  // Keys of the bucket's rows with after < key <= through (either bound may be empty:
  // unbounded), in key order.
  Result<std::vector<std::string>> KeysBetween(std::string_view bucket, std::string_view after,
                                               std::string_view through);
  Result<std::vector<std::string>> Buckets();
  Result<int64_t> Count();

  // The 'cursor' entry of catalog_state (std::nullopt: never set) and its update.
  Result<std::optional<uint64_t>> Cursor();
  Status SetCursor(uint64_t cursor);
  Status SetState(std::string_view name, int64_t value);

 private:
  // The statement for sql (a string literal: its address is the cache key), reset.
  Result<Stmt*> Prepared(const char* sql);
  Status InsertAttributes(int64_t id, std::string_view ns, const std::vector<AttributeRow>& rows);
  Status DeleteText(int64_t id, std::string_view ns);
  Status InsertText(int64_t id, std::string_view ns, std::string_view key, std::string_view meta,
                    std::string_view body);
  Status DropFunctionNamespaces(int64_t id);
  Status WriteS3Namespace(int64_t id, const ObjectRow& row);

  Db* db_;
  std::unordered_map<const char*, Stmt> stmts_;
};

}  // namespace kumo::catalog
