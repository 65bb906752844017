// Opening and reading one object version.
//
// OpenObjectReader reads the index record, then opens every blob file the record points
// to. The reader holds those files (shared_ptr<BlobFile>, i.e. open fds), so it keeps
// reading the same bytes even if the object is overwritten or deleted (its extent file
// unlinked) or its segment compacted away afterwards. Opening races with such changes
// without locks: if a file vanished between the index read and the open, the index is
// read again.
//
// Thread safety: OpenObjectReader is thread-safe; a reader is used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "storage/store.h"
#include "storage/store_context.h"

namespace kumo::storage {

// Errors: kNoSuchKey, kCorruption (record points at a file that does not exist), kIOError.
Result<std::unique_ptr<ObjectReader>> OpenObjectReader(const StoreContext* ctx,
                                                       const std::string& ikey);

// Reads and decodes the index record; Status kNoSuchKey if absent.
Result<ObjectMeta> ReadObjectMeta(const StoreContext* ctx, const std::string& ikey);

}  // namespace kumo::storage
