#include "storage/segment_table.h"

namespace kumo::storage {

void SegmentTable::Load(uint64_t id, uint64_t total, uint64_t dead) {
  std::lock_guard<std::mutex> lock(mu_);
  Segment& s = segments_[id];
  s.total = total;
  s.dead = dead;
  s.sealed = true;
}

void SegmentTable::AddOpen(uint64_t id, std::shared_ptr<BlobFile> file) {
  std::lock_guard<std::mutex> lock(mu_);
  EvictIfFull();
  Segment& s = segments_[id];
  s.sealed = false;
  s.file = std::move(file);
  ++cached_files_;
}

void SegmentTable::Seal(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = segments_.find(id);
  if (it != segments_.end()) it->second.sealed = true;
}

void SegmentTable::ApplyDeltas(const std::map<uint64_t, SegmentDelta>& deltas) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, d] : deltas) {
    auto it = segments_.find(id);
    if (it == segments_.end()) continue;
    it->second.total += static_cast<uint64_t>(d.total);
    it->second.dead += static_cast<uint64_t>(d.dead);
  }
}

void SegmentTable::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = segments_.find(id);
  if (it == segments_.end()) return;
  if (it->second.file) --cached_files_;
  segments_.erase(it);
}

Result<std::shared_ptr<BlobFile>> SegmentTable::GetFile(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = segments_.find(id);
  if (it == segments_.end()) return std::shared_ptr<BlobFile>();
  if (it->second.file) return it->second.file;
  // Opened under mu_ so that Remove() + unlink cannot slip between the membership check
  // and the open: a handle in hand always refers to the segment's live inode.
  EvictIfFull();
  bool missing = false;
  auto file = BlobFile::OpenForRead(blobs_dir_ + "/" + BlobName(true, id), &missing);
  if (!file.ok()) return missing ? std::shared_ptr<BlobFile>() : file;
  it->second.file = *file;
  ++cached_files_;
  return it->second.file;
}

void SegmentTable::EvictIfFull() {
  if (cached_files_ < kMaxCachedFiles) return;
  // Dropping a cached handle is safe: readers hold their own shared_ptr. Open segments
  // keep theirs because the committer writes through it.
  for (auto& [id, s] : segments_) {
    if (s.file && s.sealed) {
      s.file.reset();
      --cached_files_;
      return;
    }
  }
}

std::vector<uint64_t> SegmentTable::CompactionCandidates(double ratio) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<uint64_t> out;
  for (const auto& [id, s] : segments_) {
    if (!s.sealed) continue;
    if (s.dead >= s.total || static_cast<double>(s.dead) > ratio * static_cast<double>(s.total)) {
      out.push_back(id);
    }
  }
  return out;
}

uint64_t SegmentTable::DeadBytes() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t dead = 0;
  for (const auto& [id, s] : segments_) dead += s.dead;
  return dead;
}

uint64_t SegmentTable::Count() {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.size();
}

}  // namespace kumo::storage
