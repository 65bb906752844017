// Recovery at Open: reconciles blobs/ with the index after a clean shutdown or a crash.
// RocksDB has already replayed its WAL, so the index is the truth:
//   - tmp/ is emptied;
//   - a seg-* file with no "segments" entry was never referenced (rolled to, then the
//     process died before its first batch was indexed): removed;
//   - bytes of a segment beyond its accounted total were written but never indexed:
//     accounted as dead (compaction reclaims them);
//   - an ext-* file with no "extents" entry is an upload that never committed, or the
//     old file of an overwrite/delete whose unlink was cut short: removed.
// Cost: one pass over the "segments" and "extents" column families and the blobs/
// listing, never over all objects. Appends after Open go to a fresh segment.
//
// Thread safety: runs once, before the store is shared.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/index.h"
#include "storage/segment_table.h"

namespace kumo::storage {

Status Recover(const std::string& blobs_dir, const std::string& tmp_dir, Index* index,
               SegmentTable* segments);

}  // namespace kumo::storage
