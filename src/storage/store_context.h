// StoreContext: the engine parts that writers, readers, listing and compaction share.
// Owned by StoreImpl; every pointer outlives all writers and readers (the Store must
// outlive the ObjectWriters and ObjectReaders it hands out). The parts are thread-safe.
#pragma once

#include <string>

#include "storage/bucket_registry.h"
#include "storage/group_commit.h"
#include "storage/index.h"
#include "storage/index_writer.h"
#include "storage/segment_table.h"
#include "storage/store.h"

namespace kumo::storage {

struct StoreContext {
  StoreOptions options;
  std::string blobs_dir;
  Index* index = nullptr;
  SegmentTable* segments = nullptr;
  BucketRegistry* buckets = nullptr;
  IndexWriter* index_writer = nullptr;
  GroupCommitter* committer = nullptr;

  std::string BlobPath(bool packed, uint64_t id) const {
    return blobs_dir + "/" + BlobName(packed, id);
  }
};

}  // namespace kumo::storage
