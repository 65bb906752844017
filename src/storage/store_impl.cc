#include "storage/store_impl.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/time_util.h"
#include "storage/key_codec.h"
#include "storage/listing.h"
#include "storage/meta_codec.h"
#include "storage/object_reader.h"
#include "storage/object_writer.h"
#include "storage/recovery.h"
#include "storage/user_secrets.h"

namespace kumo::storage {

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  KUMO_ASSIGN_OR_RETURN(std::unique_ptr<StoreImpl> store, StoreImpl::OpenImpl(options));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<StoreImpl>> StoreImpl::OpenImpl(const StoreOptions& options) {
  if (options.small_object_threshold > (1ull << 31)) {
    return Status::InvalidArgument("small_object_threshold must be below 2 GiB");
  }
  const std::string blobs = options.data_dir + "/blobs";
  const std::string tmp = options.data_dir + "/tmp";
  KUMO_RETURN_IF_ERROR(EnsureDir(options.data_dir));
  // Private to kumod's user, also when an older kumod made it 0755: objects, the index
  // and the credential files beneath it are nobody else's to read.
  if (::chmod(options.data_dir.c_str(), 0700) != 0) {
    spdlog::warn("storage: cannot make {} private (chmod 0700): {}", options.data_dir,
                 std::strerror(errno));
  }
  KUMO_RETURN_IF_ERROR(EnsureDir(blobs));
  KUMO_RETURN_IF_ERROR(EnsureDir(tmp));

  std::unique_ptr<StoreImpl> s(new StoreImpl(options));
  KUMO_ASSIGN_OR_RETURN(s->index_, Index::Open(options.data_dir + "/index", options.sync));
  s->segments_ = std::make_unique<SegmentTable>(blobs);
  KUMO_RETURN_IF_ERROR(Recover(blobs, tmp, s->index_.get(), s->segments_.get()));
  s->master_keys_ = MasterKeys{options.master_key, options.previous_master_key};
  KUMO_RETURN_IF_ERROR(ResealUsers(s->index_.get(), s->master_keys_));
  s->buckets_ = std::make_unique<BucketRegistry>(s->index_.get());
  KUMO_RETURN_IF_ERROR(s->buckets_->Load());
  KUMO_ASSIGN_OR_RETURN(uint64_t last_seq, EventLogImpl::LastSequence(s->index_.get()));
  s->sequencer_ = std::make_unique<EventSequencer>(last_seq);
  s->events_ = std::make_unique<EventLogImpl>(s->index_.get(), s->sequencer_.get());
  s->index_writer_ = std::make_unique<IndexWriter>(s->index_.get(), s->segments_.get(),
                                                   s->buckets_.get(), s->sequencer_.get(), blobs);
  s->committer_ =
      std::make_unique<GroupCommitter>(blobs, options.segment_target_bytes, options.sync,
                                       s->index_.get(), s->segments_.get(), s->index_writer_.get());
  s->ctx_ = StoreContext{options,
                         blobs,
                         s->index_.get(),
                         s->segments_.get(),
                         s->buckets_.get(),
                         s->index_writer_.get(),
                         s->committer_.get()};
  s->multipart_ = std::make_unique<MultipartStoreImpl>(&s->ctx_);
  s->compactor_ = std::make_unique<Compactor>(
      &s->ctx_, [m = s->multipart_.get()] { m->MaybeExpire(NowMillis()); });
  return s;
}

StoreImpl::~StoreImpl() = default;

Status StoreImpl::CreateBucket(const BucketInfo& info,
                               const std::vector<std::pair<std::string, std::string>>& configs) {
  if (info.name.empty()) return {ErrorCode::kInvalidBucketName, "empty bucket name"};
  return buckets_->Create(info, configs, index_->bucket_config());
}

Status StoreImpl::DeleteBucket(std::string_view name) {
  // S3 refuses only for objects; in-progress uploads go with the bucket, atomically.
  std::vector<uint64_t> part_files;
  KUMO_RETURN_IF_ERROR(buckets_->Delete(name, [&](rocksdb::WriteBatch* batch) -> Result<bool> {
    KUMO_ASSIGN_OR_RETURN(bool has, BucketHasObjects(index_.get(), name));
    if (has) return false;
    KUMO_RETURN_IF_ERROR(multipart_->DropBucketUploads(name, batch, &part_files));
    // A bucket created later under the same name must not inherit its configuration.
    std::string prefix = std::string(name) + '\0';
    std::unique_ptr<rocksdb::Iterator> it(
        index_->db()->NewIterator(rocksdb::ReadOptions(), index_->bucket_config()));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      batch->Delete(index_->bucket_config(), it->key());
    }
    return true;
  }));
  multipart_->UnlinkParts(part_files);
  return Status::OK();
}

Result<BucketInfo> StoreImpl::GetBucket(std::string_view name) { return buckets_->Get(name); }

Result<std::vector<BucketInfo>> StoreImpl::ListBuckets() { return buckets_->List(); }

Result<std::unique_ptr<ObjectWriter>> StoreImpl::NewObjectWriter(std::string_view bucket,
                                                                 std::string_view key,
                                                                 int64_t size_hint) {
  if (!buckets_->Exists(bucket)) return Status::NoSuchBucket();
  return std::unique_ptr<ObjectWriter>(std::make_unique<ObjectWriterImpl>(
      &ctx_, std::string(bucket), EncodeObjectKey(bucket, key), size_hint));
}

Result<std::unique_ptr<ObjectReader>> StoreImpl::OpenObject(std::string_view bucket,
                                                            std::string_view key) {
  if (!buckets_->Exists(bucket)) return Status::NoSuchBucket();
  return OpenObjectReader(&ctx_, EncodeObjectKey(bucket, key));
}

Result<ObjectMeta> StoreImpl::HeadObject(std::string_view bucket, std::string_view key) {
  if (!buckets_->Exists(bucket)) return Status::NoSuchBucket();
  return ReadObjectMeta(&ctx_, EncodeObjectKey(bucket, key));
}

Status StoreImpl::DeleteObject(std::string_view bucket, std::string_view key,
                               const EventIntent* event) {
  Mutation m;
  m.op = Mutation::Op::kDelete;
  m.event = event;
  m.bucket = bucket;
  m.ikey = EncodeObjectKey(bucket, key);
  index_writer_->Apply({&m});
  return m.status;
}

std::vector<Status> StoreImpl::DeleteObjects(std::string_view bucket,
                                             const std::vector<std::string>& keys,
                                             const EventIntent* event) {
  // A batch holds the stripes of all its keys while it syncs: a few hundred keys per
  // batch keep other writers' waits short while a 1000-key request costs a few syncs,
  // not a thousand.
  constexpr size_t kKeysPerBatch = 256;
  std::vector<Status> out;
  out.reserve(keys.size());
  for (size_t begin = 0; begin < keys.size(); begin += kKeysPerBatch) {
    const size_t end = std::min(keys.size(), begin + kKeysPerBatch);
    std::vector<Mutation> ms(end - begin);
    std::vector<Mutation*> ptrs;
    ptrs.reserve(ms.size());
    for (size_t i = begin; i < end; ++i) {
      Mutation& m = ms[i - begin];
      m.op = Mutation::Op::kDelete;
      m.event = event;
      m.bucket = bucket;
      m.ikey = EncodeObjectKey(bucket, keys[i]);
      ptrs.push_back(&m);
    }
    index_writer_->Apply(ptrs);
    for (const Mutation& m : ms) out.push_back(m.status);
  }
  return out;
}

Result<ObjectMeta> StoreImpl::UpdateObjectMeta(std::string_view bucket, std::string_view key,
                                               const std::function<Status(ObjectMeta&)>& fn,
                                               const EventIntent* event) {
  // The index writer runs fn under the key's lock, between reading the current record
  // and writing the batch: the same critical section that orders puts and deletes.
  Mutation m;
  m.op = Mutation::Op::kUpdate;
  m.event = event;
  m.bucket = bucket;
  m.ikey = EncodeObjectKey(bucket, key);
  m.update = fn;
  index_writer_->Apply({&m});
  KUMO_RETURN_IF_ERROR(m.status);
  return std::move(m.meta);
}

Result<ListResult> StoreImpl::ListObjects(std::string_view bucket, const ListOptions& options) {
  if (!buckets_->Exists(bucket)) return Status::NoSuchBucket();
  return ListIndex(index_.get(), bucket, options);
}

Status StoreImpl::PutUser(const UserRecord& user) {
  KUMO_ASSIGN_OR_RETURN(std::string value, EncodeUser(user, master_keys_));
  rocksdb::WriteBatch batch;
  batch.Put(index_->users(), user.access_key, value);
  return index_->Write(&batch);
}

Result<UserRecord> StoreImpl::GetUser(std::string_view access_key) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, index_->Get(index_->users(), access_key, &value));
  if (!found) {
    return Status(ErrorCode::kInvalidAccessKeyId,
                  "The AWS access key Id you provided does not exist in our records.");
  }
  return DecodeUser(value, master_keys_);
}

Result<std::vector<UserRecord>> StoreImpl::ListUsers() {
  std::vector<UserRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(
      index_->db()->NewIterator(rocksdb::ReadOptions(), index_->users()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    KUMO_ASSIGN_OR_RETURN(UserRecord user,
                          DecodeUser({it->value().data(), it->value().size()}, master_keys_));
    out.push_back(std::move(user));
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

Status StoreImpl::DeleteUser(std::string_view access_key) {
  std::lock_guard<std::mutex> lock(users_mu_);
  KUMO_ASSIGN_OR_RETURN(UserRecord user, GetUser(access_key));
  rocksdb::WriteBatch batch;
  batch.Delete(index_->users(), user.access_key);
  return index_->Write(&batch);
}

Status StoreImpl::CompactNow() { return compactor_->CompactNow(); }

StoreStats StoreImpl::Stats() {
  StoreStats stats;
  auto counters = index_->GetCounters(index_->meta(), kMetaStats, 2);
  if (counters.ok()) {
    stats.objects = static_cast<uint64_t>((*counters)[kStatObjects]);
    stats.live_bytes = static_cast<uint64_t>((*counters)[kStatLiveBytes]);
  }
  stats.dead_bytes = segments_->DeadBytes();
  stats.segments = segments_->Count();
  return stats;
}

Status StoreImpl::PutBucketConfig(std::string_view bucket, std::string_view name,
                                  std::string_view value) {
  BucketPin pin(buckets_.get(), bucket);
  if (!pin.ok()) return Status::NoSuchBucket();
  std::string key = std::string(bucket) + '\0' + std::string(name);
  rocksdb::WriteBatch batch;
  batch.Put(index_->bucket_config(), key, rocksdb::Slice(value.data(), value.size()));
  return index_->Write(&batch);
}

Status StoreImpl::DeleteBucketConfig(std::string_view bucket, std::string_view name) {
  BucketPin pin(buckets_.get(), bucket);
  if (!pin.ok()) return Status::NoSuchBucket();
  std::string key = std::string(bucket) + '\0' + std::string(name);
  rocksdb::WriteBatch batch;
  batch.Delete(index_->bucket_config(), key);
  return index_->Write(&batch);
}

Result<std::optional<std::string>> StoreImpl::GetBucketConfig(std::string_view bucket,
                                                              std::string_view name) {
  if (!buckets_->Exists(bucket)) return Status::NoSuchBucket();
  std::string key = std::string(bucket) + '\0' + std::string(name);
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, index_->Get(index_->bucket_config(), key, &value));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

}  // namespace kumo::storage
