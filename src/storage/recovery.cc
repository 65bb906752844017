#include "storage/recovery.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "storage/key_codec.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

struct Accounting {
  int64_t total = 0;
  int64_t dead = 0;
};

Status EmptyDir(const std::string& dir) {
  KUMO_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  for (const std::string& name : names) {
    std::error_code ec;
    std::filesystem::remove_all(dir + "/" + name, ec);
    if (ec) return Status::IOError("remove " + dir + "/" + name + ": " + ec.message());
  }
  return Status::OK();
}

Result<std::map<uint64_t, Accounting>> LoadSegments(Index* index) {
  std::map<uint64_t, Accounting> out;
  std::unique_ptr<rocksdb::Iterator> it(
      index->db()->NewIterator(rocksdb::ReadOptions(), index->segments()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    uint64_t id;
    if (!DecodeFileId({it->key().data(), it->key().size()}, &id)) {
      return Status::Corruption("bad segment key");
    }
    std::vector<int64_t> c = DecodeCounters({it->value().data(), it->value().size()});
    c.resize(2, 0);
    out[id] = {c[kSegTotal], c[kSegDead]};
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

}  // namespace

Status Recover(const std::string& blobs_dir, const std::string& tmp_dir, Index* index,
               SegmentTable* segments) {
  KUMO_RETURN_IF_ERROR(EmptyDir(tmp_dir));
  KUMO_ASSIGN_OR_RETURN(auto known, LoadSegments(index));
  KUMO_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(blobs_dir));

  rocksdb::WriteBatch batch;
  std::set<uint64_t> present;
  bool removed = false;
  for (const std::string& name : names) {
    bool packed;
    uint64_t id;
    if (!ParseBlobName(name, &packed, &id)) {
      spdlog::warn("storage: ignoring unexpected file blobs/{}", name);
      continue;
    }
    const std::string path = blobs_dir + "/" + name;
    if (!packed) {
      std::string owner;
      KUMO_ASSIGN_OR_RETURN(bool referenced,
                            index->Get(index->extents(), EncodeFileId(id), &owner));
      if (!referenced) {
        KUMO_RETURN_IF_ERROR(RemoveFile(path));
        removed = true;
      }
      continue;
    }
    auto it = known.find(id);
    if (it == known.end()) {
      KUMO_RETURN_IF_ERROR(RemoveFile(path));
      removed = true;
      continue;
    }
    present.insert(id);
    KUMO_ASSIGN_OR_RETURN(auto file, BlobFile::OpenForRead(path));
    KUMO_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    auto total = static_cast<uint64_t>(it->second.total);
    if (size > total) {
      auto garbage = static_cast<int64_t>(size - total);
      batch.Merge(index->segments(), EncodeFileId(id), EncodeCounters({garbage, garbage}));
      it->second.total += garbage;
      it->second.dead += garbage;
    } else if (size < total) {
      spdlog::error("storage: segment {} is {} bytes, the index expects {}", name, size, total);
    }
  }
  for (const auto& [id, acc] : known) {
    if (present.count(id)) {
      segments->Load(id, static_cast<uint64_t>(acc.total), static_cast<uint64_t>(acc.dead));
    } else if (acc.dead >= acc.total) {
      batch.Delete(index->segments(), EncodeFileId(id));  // dropped; the delete was lost
    } else {
      spdlog::error("storage: segment {} with {} live bytes is missing", id, acc.total - acc.dead);
    }
  }
  if (batch.Count() > 0) KUMO_RETURN_IF_ERROR(index->Write(&batch));
  if (removed) KUMO_RETURN_IF_ERROR(SyncDir(blobs_dir));
  return Status::OK();
}

}  // namespace kumo::storage
