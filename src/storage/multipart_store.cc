#include "storage/multipart_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>

#include "storage/key_codec.h"
#include "storage/part_writer.h"
#include "storage/upload_codec.h"
#include "storage/upload_listing.h"

namespace kumo::storage {

namespace {

constexpr int kMaxPartNumber = 10000;

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

Status NoSuchUpload() {
  return {ErrorCode::kNoSuchUpload,
          "The specified upload does not exist. The upload ID may be invalid, or the upload "
          "may have been aborted or completed."};
}

}  // namespace

MultipartStoreImpl::MultipartStoreImpl(const StoreContext* ctx) : ctx_(ctx) {
  std::random_device rd;
  std::seed_seq seed{rd(), rd(), rd(), rd()};
  rng_.seed(seed);
}

std::string MultipartStoreImpl::NewUploadId(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(id_mu_);
  uint64_t stamp = static_cast<uint64_t>(std::max<int64_t>(now_ms, 0)) * 1000;
  last_stamp_ = std::max(stamp, last_stamp_ + 1);
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(last_stamp_),
                static_cast<unsigned long long>(rng_()));
  return std::string(buf, 32);
}

Result<UploadInfo> MultipartStoreImpl::CreateUpload(std::string_view bucket, std::string_view key,
                                                    ObjectMeta meta, int64_t now_ms) {
  BucketPin pin(ctx_->buckets, bucket);
  if (!pin.ok()) return Status::NoSuchBucket();
  UploadInfo upload;
  upload.upload_id = NewUploadId(now_ms);
  upload.bucket = bucket;
  upload.key = key;
  upload.initiated_ms = now_ms;
  upload.meta = std::move(meta);
  upload.meta.size = 0;
  upload.meta.extents.clear();
  rocksdb::WriteBatch batch;
  batch.Put(ctx_->index->uploads(), UploadKey(bucket, key, upload.upload_id),
            EncodeUploadInfo(upload));
  KUMO_RETURN_IF_ERROR(ctx_->index->Write(&batch));
  return upload;
}

Result<UploadInfo> MultipartStoreImpl::ReadUpload(const std::string& ukey) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, ctx_->index->Get(ctx_->index->uploads(), ukey, &value));
  if (!found) return NoSuchUpload();
  UploadInfo upload;
  if (!DecodeUploadInfo(value, &upload)) return Status::Corruption("bad upload record");
  return upload;
}

Result<UploadInfo> MultipartStoreImpl::GetUpload(std::string_view bucket, std::string_view key,
                                                 std::string_view upload_id) {
  return ReadUpload(UploadKey(bucket, key, upload_id));
}

Result<std::unique_ptr<PartWriter>> MultipartStoreImpl::NewPartWriter(std::string_view bucket,
                                                                      std::string_view key,
                                                                      std::string_view upload_id,
                                                                      int part_number) {
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return Status::InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }
  KUMO_RETURN_IF_ERROR(GetUpload(bucket, key, upload_id).status());
  auto writer = std::make_unique<PartWriterImpl>(ctx_, this, std::string(bucket), std::string(key),
                                                 std::string(upload_id), part_number);
  KUMO_RETURN_IF_ERROR(writer->Open());
  return std::unique_ptr<PartWriter>(std::move(writer));
}

Result<std::vector<PartInfo>> MultipartStoreImpl::ReadParts(std::string_view upload_id,
                                                            int after_part, size_t max_parts,
                                                            bool* truncated) {
  *truncated = false;
  std::vector<PartInfo> out;
  if (after_part >= kMaxPartNumber) return out;
  const std::string lower = PartKey(upload_id, static_cast<uint32_t>(std::max(after_part, 0) + 1));
  const std::string upper = PrefixSuccessor(upload_id);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions ro;
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(ctx_->index->db()->NewIterator(ro, ctx_->index->parts()));
  for (it->Seek(ToSlice(lower)); it->Valid(); it->Next()) {
    if (out.size() == max_parts) {
      *truncated = true;
      break;
    }
    PartInfo part;
    if (!DecodePartInfo({it->value().data(), it->value().size()}, &part)) {
      return Status::Corruption("bad part record");
    }
    out.push_back(std::move(part));
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

Result<std::vector<PartInfo>> MultipartStoreImpl::ListParts(std::string_view bucket,
                                                            std::string_view key,
                                                            std::string_view upload_id,
                                                            int after_part, size_t max_parts,
                                                            bool* truncated) {
  KUMO_RETURN_IF_ERROR(GetUpload(bucket, key, upload_id).status());
  return ReadParts(upload_id, after_part, max_parts, truncated);
}

Result<PartInfo> MultipartStoreImpl::CommitPart(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id, PartInfo part) {
  Index* index = ctx_->index;
  std::optional<uint64_t> replaced;
  {
    KeyLocks::Guard guard = upload_locks_.Lock({upload_id});
    BucketPin pin(ctx_->buckets, bucket);
    if (!pin.ok()) return NoSuchUpload();
    KUMO_RETURN_IF_ERROR(ReadUpload(UploadKey(bucket, key, upload_id)).status());
    const std::string pkey = PartKey(upload_id, static_cast<uint32_t>(part.part_number));
    std::string old_value;
    KUMO_ASSIGN_OR_RETURN(bool had_old, index->Get(index->parts(), pkey, &old_value));
    rocksdb::WriteBatch batch;
    if (had_old) {
      PartInfo old;
      if (!DecodePartInfo(old_value, &old)) return Status::Corruption("bad part record");
      batch.Delete(index->extents(), EncodeFileId(old.extent.file_id));
      replaced = old.extent.file_id;
    }
    batch.Put(index->parts(), pkey, EncodePartInfo(part));
    batch.Put(index->extents(), EncodeFileId(part.extent.file_id),
              PartOwner(upload_id, part.part_number));
    KUMO_RETURN_IF_ERROR(index->Write(&batch));
  }
  if (replaced) UnlinkParts({*replaced});
  return part;
}

void MultipartStoreImpl::RemoveUpload(const std::string& ukey, std::string_view upload_id,
                                      const std::vector<PartInfo>& parts,
                                      const std::vector<int>& keep, rocksdb::WriteBatch* batch) {
  Index* index = ctx_->index;
  batch->Delete(index->uploads(), ukey);
  // Sorted, so that 10000 parts against 10000 kept numbers is not 10^8 comparisons.
  std::vector<int> kept = keep;
  std::sort(kept.begin(), kept.end());
  for (const PartInfo& p : parts) {
    batch->Delete(index->parts(), PartKey(upload_id, static_cast<uint32_t>(p.part_number)));
    if (!std::binary_search(kept.begin(), kept.end(), p.part_number)) {
      batch->Delete(index->extents(), EncodeFileId(p.extent.file_id));
    }
  }
}

Result<ObjectMeta> MultipartStoreImpl::CompleteUpload(std::string_view bucket, std::string_view key,
                                                      std::string_view upload_id,
                                                      const std::vector<int>& part_numbers,
                                                      ObjectMeta meta, const EventIntent* event,
                                                      const PartValidator& validate) {
  KeyLocks::Guard guard = upload_locks_.Lock({upload_id});
  const std::string ukey = UploadKey(bucket, key, upload_id);
  KUMO_RETURN_IF_ERROR(ReadUpload(ukey).status());
  bool truncated = false;
  KUMO_ASSIGN_OR_RETURN(std::vector<PartInfo> parts,
                        ReadParts(upload_id, 0, kMaxPartNumber, &truncated));
  // Part commits take the upload's lock too: these records are the ones committed.
  std::vector<PartInfo> chosen;
  chosen.reserve(part_numbers.size());
  for (int n : part_numbers) {
    auto it = std::lower_bound(parts.begin(), parts.end(), n, [](const PartInfo& p, int number) {
      return p.part_number < number;
    });
    if (it == parts.end() || it->part_number != n) {
      return Status(ErrorCode::kInvalidPart,
                    "One or more of the specified parts could not be found. The part may not "
                    "have been uploaded, or the specified entity tag may not match the part's "
                    "entity tag.");
    }
    chosen.push_back(*it);
  }
  if (validate) KUMO_RETURN_IF_ERROR(validate(chosen, &meta));
  meta.size = 0;
  meta.extents.clear();
  for (const PartInfo& p : chosen) {
    meta.extents.push_back(p.extent);
    meta.size += p.size;
  }
  std::vector<int> used = part_numbers;
  std::sort(used.begin(), used.end());
  std::vector<uint64_t> unused;
  for (const PartInfo& p : parts) {
    if (!std::binary_search(used.begin(), used.end(), p.part_number)) {
      unused.push_back(p.extent.file_id);
    }
  }

  Mutation m;
  m.op = Mutation::Op::kPut;
  m.bucket = bucket;
  m.ikey = EncodeObjectKey(bucket, key);
  m.meta = std::move(meta);
  m.event = event;
  m.precommit = [&](rocksdb::WriteBatch* batch) -> Status {
    // The bucket is pinned now: if DeleteBucket dropped the upload before, it is gone.
    KUMO_RETURN_IF_ERROR(ReadUpload(ukey).status());
    RemoveUpload(ukey, upload_id, parts, part_numbers, batch);
    return Status::OK();
  };
  ctx_->index_writer->Apply({&m});
  KUMO_RETURN_IF_ERROR(m.status);
  UnlinkParts(unused);
  return std::move(m.meta);
}

Status MultipartStoreImpl::AbortUpload(std::string_view bucket, std::string_view key,
                                       std::string_view upload_id) {
  std::vector<uint64_t> files;
  {
    KeyLocks::Guard guard = upload_locks_.Lock({upload_id});
    BucketPin pin(ctx_->buckets, bucket);
    if (!pin.ok()) return NoSuchUpload();
    const std::string ukey = UploadKey(bucket, key, upload_id);
    KUMO_RETURN_IF_ERROR(ReadUpload(ukey).status());
    bool truncated = false;
    KUMO_ASSIGN_OR_RETURN(std::vector<PartInfo> parts,
                          ReadParts(upload_id, 0, kMaxPartNumber, &truncated));
    rocksdb::WriteBatch batch;
    RemoveUpload(ukey, upload_id, parts, {}, &batch);
    KUMO_RETURN_IF_ERROR(ctx_->index->Write(&batch));
    for (const PartInfo& p : parts) files.push_back(p.extent.file_id);
  }
  UnlinkParts(files);
  return Status::OK();
}

Result<UploadListResult> MultipartStoreImpl::ListUploads(std::string_view bucket,
                                                         const UploadListOptions& options) {
  if (!ctx_->buckets->Exists(bucket)) return Status::NoSuchBucket();
  return ListUploadsIndex(ctx_->index, bucket, options);
}

Result<size_t> MultipartStoreImpl::ExpireUploads(int64_t cutoff_ms) {
  KUMO_ASSIGN_OR_RETURN(std::vector<UploadInfo> old, ScanUploads(ctx_->index, "", cutoff_ms));
  size_t expired = 0;
  for (const UploadInfo& u : old) {
    Status s = AbortUpload(u.bucket, u.key, u.upload_id);
    if (s.ok()) {
      ++expired;
    } else if (!s.Is(ErrorCode::kNoSuchUpload)) {
      return s;  // completed or aborted meanwhile is fine; anything else is not
    }
  }
  return expired;
}

Status MultipartStoreImpl::DropBucketUploads(std::string_view bucket, rocksdb::WriteBatch* batch,
                                             std::vector<uint64_t>* files) {
  KUMO_ASSIGN_OR_RETURN(
      std::vector<UploadInfo> uploads,
      ScanUploads(ctx_->index, UploadKeyPrefix(bucket, ""), std::numeric_limits<int64_t>::max()));
  for (const UploadInfo& u : uploads) {
    bool truncated = false;
    KUMO_ASSIGN_OR_RETURN(std::vector<PartInfo> parts,
                          ReadParts(u.upload_id, 0, kMaxPartNumber, &truncated));
    RemoveUpload(UploadKey(u.bucket, u.key, u.upload_id), u.upload_id, parts, {}, batch);
    for (const PartInfo& p : parts) files->push_back(p.extent.file_id);
  }
  return Status::OK();
}

void MultipartStoreImpl::UnlinkParts(const std::vector<uint64_t>& files) {
  // Readers of a completed object never see these files; a crash before the unlink
  // leaves files no "extents" entry names, which recovery deletes.
  for (uint64_t id : files) {
    Status s = RemoveFile(ctx_->BlobPath(false, id));
    if (!s.ok()) spdlog::warn("storage: {}", s.ToString());
  }
}

void MultipartStoreImpl::MaybeExpire(int64_t now_ms) {
  const int64_t expiry = ctx_->options.multipart_expiry_ms;
  if (expiry <= 0) return;
  std::lock_guard<std::mutex> lock(expiry_mu_);
  if (last_expiry_ms_ >= 0 && now_ms - last_expiry_ms_ < kExpiryCheckMs) return;
  last_expiry_ms_ = now_ms;
  Result<size_t> n = ExpireUploads(now_ms - expiry);
  if (!n.ok()) {
    spdlog::warn("storage: expiring multipart uploads: {}", n.status().ToString());
  } else if (*n > 0) {
    spdlog::info("storage: expired {} abandoned multipart uploads", *n);
  }
}

}  // namespace kumo::storage
