// The catalog's queue of function attribute writes (catalog_put / catalog_remove of the
// plugin ABI): each call is recorded in the store's event-state space (RocksDB) and
// applied to SQLite by the catalog's writer in batches, so that many objects share one
// SQLite transaction instead of paying one each (FTS5 flushes a segment and every
// touched b-tree page goes to the WAL at each commit).
//
// Durability: a record is written unsynced, which survives a crash of kumod (the
// RocksDB WAL is in the kernel's page cache) and becomes durable on the machine with the
// next synced write of the index — at the latest the synced write of the cursor of the
// function that made the call. A record is deleted in one batch with the others of its
// SQLite transaction, after that transaction committed; re-applying one after a crash
// in between is harmless (a put replaces the namespace, a remove removes it).
// Plain values and pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kumo::catalog {

struct PendingAttributes {
  bool remove = false;  // catalog_remove: etag, attributes and text are empty
  std::string bucket, key, etag, ns, attributes_json, text;
};

// The event-state key prefix of the queue; keys are the prefix and a 16-digit hex
// sequence, so a scan returns them in the order they were written.
inline constexpr std::string_view kPendingPrefix = "catalog/attr/";
std::string PendingKey(uint64_t seq);
// The sequence of a key made by PendingKey; 0 if it is not one.
uint64_t PendingSeq(std::string_view key);

std::string EncodePending(const PendingAttributes& p);
// False when in is not a record EncodePending made.
bool DecodePending(std::string_view in, PendingAttributes* out);

}  // namespace kumo::catalog
