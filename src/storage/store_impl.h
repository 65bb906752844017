// StoreImpl: wires the engine parts together behind the Store interface (store.h).
//
// Ownership: StoreImpl owns the index, the segment table, the bucket registry, the
// index writer, the group committer, the multipart store and the compactor; it is destroyed in the
// reverse order (compactor first, index last), so every background thread is gone before the state
// it uses. ObjectWriters, ObjectReaders and PartWriters must not outlive the StoreImpl.
//
// Thread safety: thread-safe; each part synchronizes itself (see its header).
#pragma once

#include <memory>
#include <mutex>

#include "storage/bucket_registry.h"
#include "storage/compactor.h"
#include "storage/event_log_impl.h"
#include "storage/event_sequencer.h"
#include "storage/group_commit.h"
#include "storage/index.h"
#include "storage/index_writer.h"
#include "storage/multipart_store.h"
#include "storage/segment_table.h"
#include "storage/store.h"
#include "storage/store_context.h"
#include "storage/user_secrets.h"

namespace kumo::storage {

class StoreImpl : public Store {
 public:
  static Result<std::unique_ptr<StoreImpl>> OpenImpl(const StoreOptions& options);
  ~StoreImpl() override;

  Status CreateBucket(
      const BucketInfo& info,
      const std::vector<std::pair<std::string, std::string>>& configs = {}) override;
  Status DeleteBucket(std::string_view name) override;
  Result<BucketInfo> GetBucket(std::string_view name) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;

  Result<std::unique_ptr<ObjectWriter>> NewObjectWriter(std::string_view bucket,
                                                        std::string_view key,
                                                        int64_t size_hint) override;
  Result<std::unique_ptr<ObjectReader>> OpenObject(std::string_view bucket,
                                                   std::string_view key) override;
  Result<ObjectMeta> HeadObject(std::string_view bucket, std::string_view key) override;
  Status DeleteObject(std::string_view bucket, std::string_view key,
                      const EventIntent* event = nullptr) override;
  std::vector<Status> DeleteObjects(std::string_view bucket, const std::vector<std::string>& keys,
                                    const EventIntent* event = nullptr) override;
  Result<ObjectMeta> UpdateObjectMeta(std::string_view bucket, std::string_view key,
                                      const std::function<Status(ObjectMeta&)>& fn,
                                      const EventIntent* event = nullptr) override;
  Result<ListResult> ListObjects(std::string_view bucket, const ListOptions& options) override;

  Status PutUser(const UserRecord& user) override;
  Result<UserRecord> GetUser(std::string_view access_key) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Status DeleteUser(std::string_view access_key) override;

  MultipartStore* multipart() override { return multipart_.get(); }

  EventLog* events() override { return events_.get(); }
  Status PutBucketConfig(std::string_view bucket, std::string_view name,
                         std::string_view value) override;
  Result<std::optional<std::string>> GetBucketConfig(std::string_view bucket,
                                                     std::string_view name) override;
  Status DeleteBucketConfig(std::string_view bucket, std::string_view name) override;

  Status CompactNow() override;
  StoreStats Stats() override;

  // Introspection for tests: how many group-commit batches were written.
  uint64_t group_commit_batches() const { return committer_->batches(); }

 private:
  explicit StoreImpl(const StoreOptions& options) : options_(options) {}

  const StoreOptions options_;
  std::unique_ptr<Index> index_;
  MasterKeys master_keys_;
  std::unique_ptr<SegmentTable> segments_;
  std::unique_ptr<BucketRegistry> buckets_;
  std::unique_ptr<EventSequencer> sequencer_;
  std::unique_ptr<EventLogImpl> events_;
  std::unique_ptr<IndexWriter> index_writer_;
  std::unique_ptr<GroupCommitter> committer_;
  StoreContext ctx_;
  std::unique_ptr<MultipartStoreImpl> multipart_;
  std::unique_ptr<Compactor> compactor_;

  std::mutex users_mu_;  // makes DeleteUser's existence check and delete one step
};

}  // namespace kumo::storage
