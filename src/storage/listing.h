// ListObjects over the objects column family: one RocksDB iterator bounded to the
// bucket and prefix, delimiter roll-up into common prefixes, start_after, max_keys.
// Thread safety: thread-safe (reads a consistent RocksDB iterator view).
#pragma once

#include <string_view>

#include "storage/index.h"
#include "storage/store.h"

namespace kumo::storage {

Result<ListResult> ListIndex(Index* index, std::string_view bucket, const ListOptions& options);

// True when the bucket has at least one object.
Result<bool> BucketHasObjects(Index* index, std::string_view bucket);

}  // namespace kumo::storage
