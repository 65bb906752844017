#include "storage/bucket_registry.h"

#include <memory>

#include "storage/meta_codec.h"

namespace kumo::storage {

Status BucketRegistry::Load() {
  std::unique_ptr<rocksdb::Iterator> it(
      index_->db()->NewIterator(rocksdb::ReadOptions(), index_->buckets()));
  std::lock_guard<std::mutex> lock(mu_);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    BucketInfo info;
    if (!DecodeBucketInfo({it->value().data(), it->value().size()}, &info)) {
      return Status::Corruption("bad bucket record " + it->key().ToString());
    }
    buckets_[it->key().ToString()].info = std::move(info);
  }
  return FromRocks(it->status());
}

Status BucketRegistry::Create(const BucketInfo& info,
                              const std::vector<std::pair<std::string, std::string>>& configs,
                              rocksdb::ColumnFamilyHandle* bucket_cf) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(info.name);
  if (it != buckets_.end()) {
    if (it->second.info.owner == info.owner) {
      return {ErrorCode::kBucketAlreadyOwnedByYou,
              "Your previous request to create the named bucket succeeded and you already "
              "own it."};
    }
    return {ErrorCode::kBucketAlreadyExists, "The requested bucket name is not available."};
  }
  rocksdb::WriteBatch batch;
  batch.Put(index_->buckets(), info.name, EncodeBucketInfo(info));
  for (const auto& [name, value] : configs) {
    batch.Put(bucket_cf, info.name + '\0' + name, value);
  }
  KUMO_RETURN_IF_ERROR(index_->Write(&batch));
  buckets_[info.name].info = info;
  return Status::OK();
}

Status BucketRegistry::Delete(std::string_view name,
                              const std::function<Result<bool>(rocksdb::WriteBatch*)>& prepare) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = buckets_.end();
  cv_.wait(lock, [&] {
    it = buckets_.find(name);
    return it == buckets_.end() || !it->second.deleting;
  });
  if (it == buckets_.end()) return Status::NoSuchBucket();
  it->second.deleting = true;
  cv_.wait(lock, [&] { return it->second.pins == 0; });
  lock.unlock();

  Status st;
  rocksdb::WriteBatch batch;
  Result<bool> empty = prepare(&batch);
  if (!empty.ok()) {
    st = empty.status();
  } else if (!*empty) {
    st = Status(ErrorCode::kBucketNotEmpty, "The bucket you tried to delete is not empty");
  } else {
    batch.Delete(index_->buckets(), std::string(name));
    st = index_->Write(&batch);
  }

  lock.lock();
  if (st.ok()) {
    buckets_.erase(it);
  } else {
    it->second.deleting = false;
  }
  cv_.notify_all();
  return st;
}

Result<BucketInfo> BucketRegistry::Get(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(name);
  if (it == buckets_.end()) return Status::NoSuchBucket();
  return it->second.info;
}

std::vector<BucketInfo> BucketRegistry::List() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<BucketInfo> out;
  out.reserve(buckets_.size());
  for (const auto& [name, e] : buckets_) out.push_back(e.info);
  return out;
}

bool BucketRegistry::Exists(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.find(name) != buckets_.end();
}

bool BucketRegistry::Pin(const std::string& name) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = buckets_.end();
  cv_.wait(lock, [&] {
    it = buckets_.find(name);
    return it == buckets_.end() || !it->second.deleting;
  });
  if (it == buckets_.end()) return false;
  ++it->second.pins;
  return true;
}

void BucketRegistry::Unpin(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(name);
  if (it != buckets_.end() && --it->second.pins == 0 && it->second.deleting) cv_.notify_all();
}

}  // namespace kumo::storage
