// SegmentTable: the in-memory view of the packed segments (blobs/seg-*): per-segment
// byte accounting mirrored from the "segments" column family, which segment takes
// appends now, which ones are sealed (compactable), and a bounded cache of open read
// handles.
//
// Accounting deltas are applied here only after the index batch that records them has
// committed, so this table never runs ahead of the index.
//
// Thread safety: thread-safe; one internal mutex, never held during I/O other than
// open(2) of a segment file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/blob_file.h"

namespace kumo::storage {

struct SegmentDelta {
  int64_t total = 0;
  int64_t dead = 0;
};

class SegmentTable {
 public:
  explicit SegmentTable(std::string blobs_dir) : blobs_dir_(std::move(blobs_dir)) {}

  // A sealed segment known to the index (recovery).
  void Load(uint64_t id, uint64_t total, uint64_t dead);
  // The committer's new append target. It stays unsealed until Seal(), so compaction
  // never scans a segment that may still receive records or have unindexed ones.
  void AddOpen(uint64_t id, std::shared_ptr<BlobFile> file);
  void Seal(uint64_t id);
  void ApplyDeltas(const std::map<uint64_t, SegmentDelta>& deltas);
  // Forgets a segment whose index entry is gone; the caller unlinks the file.
  void Remove(uint64_t id);

  // A handle for reading segment id (opened and cached on first use), or nullptr when
  // the segment no longer exists (compacted away: the caller re-reads the index).
  Result<std::shared_ptr<BlobFile>> GetFile(uint64_t id);

  // Sealed segments whose dead/total ratio exceeds ratio, or that hold no live byte.
  std::vector<uint64_t> CompactionCandidates(double ratio);
  uint64_t DeadBytes();
  uint64_t Count();

 private:
  struct Segment {
    uint64_t total = 0;
    uint64_t dead = 0;
    bool sealed = true;
    std::shared_ptr<BlobFile> file;  // cached handle, may be null
  };
  void EvictIfFull();  // requires mu_

  static constexpr size_t kMaxCachedFiles = 256;  // bounded: fds are a finite resource

  const std::string blobs_dir_;
  std::mutex mu_;
  std::map<uint64_t, Segment> segments_;  // GUARDED_BY(mu_)
  size_t cached_files_ = 0;               // GUARDED_BY(mu_)
};

}  // namespace kumo::storage
