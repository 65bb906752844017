// MultipartStoreImpl: multipart uploads over the "uploads" and "parts" column families
// (upload_codec.h); every part is its own extent file (part_writer.h).
//
// Every part file has an "extents" entry (owner PartOwner(upload, part)) written in the
// batch that records the part, so recovery keeps committed parts and deletes parts that
// never committed. CompleteUpload is one IndexWriter put whose precommit hook removes
// the upload in the same batch: the used parts' extents are repointed to the object,
// the object previously at the key is released exactly like an overwrite, the unused
// parts' entries are dropped (their files are unlinked after the batch).
//
// Thread safety: thread-safe. Locking, always in this order:
//   1. the upload's stripe (upload_locks_): serializes part commits, Complete, Abort and
//      expiry of one upload;
//   2. a pin on the bucket (BucketRegistry) around each batch, so DeleteBucket, which
//      drops the bucket's uploads while no pin is held (DropBucketUploads), never races
//      a write to them; Complete pins inside IndexWriter::Apply, and its precommit hook
//      re-checks there that the upload still exists;
//   3. the object key's stripe (inside IndexWriter::Apply).
// Readers (GetUpload, ListParts, ListUploads) take no lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "storage/key_locks.h"
#include "storage/multipart.h"
#include "storage/store_context.h"

namespace kumo::storage {

class MultipartStoreImpl : public MultipartStore {
 public:
  explicit MultipartStoreImpl(const StoreContext* ctx);

  Result<UploadInfo> CreateUpload(std::string_view bucket, std::string_view key, ObjectMeta meta,
                                  int64_t now_ms) override;
  Result<UploadInfo> GetUpload(std::string_view bucket, std::string_view key,
                               std::string_view upload_id) override;
  Result<std::unique_ptr<PartWriter>> NewPartWriter(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id,
                                                    int part_number) override;
  Result<std::vector<PartInfo>> ListParts(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id, int after_part,
                                          size_t max_parts, bool* truncated) override;
  Result<ObjectMeta> CompleteUpload(std::string_view bucket, std::string_view key,
                                    std::string_view upload_id,
                                    const std::vector<int>& part_numbers, ObjectMeta meta,
                                    const EventIntent* event = nullptr,
                                    const PartValidator& validate = nullptr) override;
  Status AbortUpload(std::string_view bucket, std::string_view key,
                     std::string_view upload_id) override;
  Result<UploadListResult> ListUploads(std::string_view bucket,
                                       const UploadListOptions& options) override;
  Result<size_t> ExpireUploads(int64_t cutoff_ms) override;

  // Called by PartWriterImpl::Commit once the part's bytes are durable: records the
  // part (replacing an earlier one with the same number, whose file is unlinked).
  // Errors: kNoSuchUpload.
  Result<PartInfo> CommitPart(std::string_view bucket, std::string_view key,
                              std::string_view upload_id, PartInfo part);

  // For DeleteBucket, with no pin held on the bucket: adds the removal of all its
  // uploads and parts to `batch` and appends the part files to `files`, to be passed to
  // UnlinkParts once the batch is written.
  Status DropBucketUploads(std::string_view bucket, rocksdb::WriteBatch* batch,
                           std::vector<uint64_t>* files);
  void UnlinkParts(const std::vector<uint64_t>& files);

  // Background housekeeping: expires uploads older than options.multipart_expiry_ms
  // (never when 0), scanning at most once per kExpiryCheckMs.
  void MaybeExpire(int64_t now_ms);

 private:
  static constexpr int64_t kExpiryCheckMs = 60 * 1000;

  Result<UploadInfo> ReadUpload(const std::string& ukey);
  // Parts with number > after_part, ascending, at most max_parts.
  Result<std::vector<PartInfo>> ReadParts(std::string_view upload_id, int after_part,
                                          size_t max_parts, bool* truncated);
  // Adds the removal of the upload record and all its parts to `batch`; parts whose
  // number is in `keep` keep their extents entry (the caller repoints it).
  void RemoveUpload(const std::string& ukey, std::string_view upload_id,
                    const std::vector<PartInfo>& parts, const std::vector<int>& keep,
                    rocksdb::WriteBatch* batch);
  // A new id: 16 hex digits of a creation stamp that increases strictly within the
  // process (so ids of one key sort by creation), then 16 random hex digits.
  std::string NewUploadId(int64_t now_ms);

  const StoreContext* const ctx_;
  KeyLocks upload_locks_;

  std::mutex id_mu_;
  std::mt19937_64 rng_;      // GUARDED_BY(id_mu_)
  uint64_t last_stamp_ = 0;  // GUARDED_BY(id_mu_)

  std::mutex expiry_mu_;         // one expiry scan at a time
  int64_t last_expiry_ms_ = -1;  // GUARDED_BY(expiry_mu_); -1: never ran
};

}  // namespace kumo::storage
