#include "storage/part_writer.h"

#include <spdlog/spdlog.h>

#include "storage/multipart_store.h"

namespace kumo::storage {

PartWriterImpl::PartWriterImpl(const StoreContext* ctx, MultipartStoreImpl* store,
                               std::string bucket, std::string key, std::string upload_id,
                               int part_number)
    : ctx_(ctx),
      store_(store),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      upload_id_(std::move(upload_id)),
      part_number_(part_number) {}

PartWriterImpl::~PartWriterImpl() {
  if (file_ && !committed_) {
    std::string path = file_->path();
    file_.reset();
    Status s = RemoveFile(path);
    if (!s.ok()) spdlog::warn("storage: discarding part writer: {}", s.ToString());
  }
}

Status PartWriterImpl::Open() {
  KUMO_ASSIGN_OR_RETURN(file_id_, ctx_->index->AllocateFileId());
  KUMO_ASSIGN_OR_RETURN(file_, BlobFile::Create(ctx_->BlobPath(false, file_id_)));
  return Status::OK();
}

Status PartWriterImpl::Flush() {
  if (buf_.empty()) return Status::OK();
  KUMO_RETURN_IF_ERROR(file_->WriteAt(file_offset_, buf_));
  file_offset_ += buf_.size();
  buf_.clear();
  if (ctx_->options.sync) file_->StartWriteback(file_offset_);
  return Status::OK();
}

Status PartWriterImpl::Append(std::string_view data) {
  if (committed_) return Status::InvalidArgument("append after commit");
  if (!file_) return Status::InvalidArgument("part writer not open");
  KUMO_RETURN_IF_ERROR(error_);
  if (buf_.size() + data.size() <= kWriteBufferBytes) {
    buf_.append(data);
    return Status::OK();
  }
  error_ = Flush();
  KUMO_RETURN_IF_ERROR(error_);
  if (data.size() >= kWriteBufferBytes) {
    // Large appends go straight to the file: no copy.
    error_ = file_->WriteAt(file_offset_, data);
    KUMO_RETURN_IF_ERROR(error_);
    file_offset_ += data.size();
    if (ctx_->options.sync) file_->StartWriteback(file_offset_);
  } else {
    buf_.append(data);
  }
  return Status::OK();
}

Result<PartInfo> PartWriterImpl::Commit(PartInfo part) {
  if (committed_) return Status::InvalidArgument("part already committed");
  if (!file_) return Status::InvalidArgument("part writer not open");
  KUMO_RETURN_IF_ERROR(error_);
  error_ = Flush();
  KUMO_RETURN_IF_ERROR(error_);
  if (ctx_->options.sync) {
    error_ = file_->DataSync();
    KUMO_RETURN_IF_ERROR(error_);
    // The new name must be durable before the index refers to it.
    error_ = SyncDir(ctx_->blobs_dir);
    KUMO_RETURN_IF_ERROR(error_);
  }
  part.part_number = part_number_;
  part.size = file_offset_;
  part.extent = Extent{file_id_, 0, file_offset_, false};
  Result<PartInfo> out = store_->CommitPart(bucket_, key_, upload_id_, std::move(part));
  if (out.ok()) {
    committed_ = true;
  } else {
    error_ = out.status();  // e.g. the upload is gone: the file is discarded with us
  }
  return out;
}

}  // namespace kumo::storage
