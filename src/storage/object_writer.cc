#include "storage/object_writer.h"

#include <spdlog/spdlog.h>

namespace kumo::storage {

ObjectWriterImpl::ObjectWriterImpl(const StoreContext* ctx, std::string bucket, std::string ikey,
                                   int64_t size_hint)
    : ctx_(ctx), bucket_(std::move(bucket)), ikey_(std::move(ikey)) {
  if (size_hint >= 0 && static_cast<uint64_t>(size_hint) >= ctx_->options.small_object_threshold) {
    error_ = Spill();
  } else if (size_hint > 0) {
    buf_.reserve(static_cast<size_t>(size_hint));
  }
}

ObjectWriterImpl::~ObjectWriterImpl() {
  if (file_ && !committed_) {
    std::string path = file_->path();
    file_.reset();
    Status s = RemoveFile(path);
    if (!s.ok()) spdlog::warn("storage: discarding writer: {}", s.ToString());
  }
}

Status ObjectWriterImpl::Spill() {
  KUMO_ASSIGN_OR_RETURN(file_id_, ctx_->index->AllocateFileId());
  KUMO_ASSIGN_OR_RETURN(file_, BlobFile::Create(ctx_->BlobPath(false, file_id_)));
  return FlushBuffer();
}

Status ObjectWriterImpl::FlushBuffer() {
  if (buf_.empty()) return Status::OK();
  KUMO_RETURN_IF_ERROR(file_->WriteAt(file_offset_, buf_));
  file_offset_ += buf_.size();
  buf_.clear();
  if (ctx_->options.sync) file_->StartWriteback(file_offset_);
  return Status::OK();
}

Status ObjectWriterImpl::Append(std::string_view data) {
  if (committed_) return Status::InvalidArgument("append after commit");
  KUMO_RETURN_IF_ERROR(error_);
  written_ += data.size();
  if (!file_) {
    if (buf_.size() + data.size() < ctx_->options.small_object_threshold) {
      buf_.append(data);
      return Status::OK();
    }
    error_ = Spill();
    KUMO_RETURN_IF_ERROR(error_);
  }
  if (buf_.size() + data.size() <= kWriteBufferBytes) {
    buf_.append(data);
    return Status::OK();
  }
  error_ = FlushBuffer();
  KUMO_RETURN_IF_ERROR(error_);
  if (data.size() >= kWriteBufferBytes) {
    // Large appends go straight to the file: no copy, still one big sequential write.
    error_ = file_->WriteAt(file_offset_, data);
    KUMO_RETURN_IF_ERROR(error_);
    file_offset_ += data.size();
    if (ctx_->options.sync) file_->StartWriteback(file_offset_);
  } else {
    buf_.append(data);
  }
  return Status::OK();
}

Result<ObjectMeta> ObjectWriterImpl::Commit(ObjectMeta meta, const EventIntent* event) {
  if (committed_) return Status::InvalidArgument("object already committed");
  KUMO_RETURN_IF_ERROR(error_);
  meta.size = written_;
  Result<ObjectMeta> out =
      file_ ? CommitExtent(std::move(meta), event) : CommitPacked(std::move(meta), event);
  if (out.ok()) {
    committed_ = true;
  } else {
    error_ = out.status();  // the buffered bytes may be gone: no retry with this writer
  }
  return out;
}

Result<ObjectMeta> ObjectWriterImpl::CommitExtent(ObjectMeta meta, const EventIntent* event) {
  KUMO_RETURN_IF_ERROR(FlushBuffer());
  if (ctx_->options.sync) {
    KUMO_RETURN_IF_ERROR(file_->DataSync());
    // The new name must be durable before the index refers to it.
    KUMO_RETURN_IF_ERROR(SyncDir(ctx_->blobs_dir));
  }
  Mutation m;
  m.op = Mutation::Op::kPut;
  m.bucket = bucket_;
  m.ikey = ikey_;
  m.event = event;
  meta.extents = {Extent{file_id_, 0, written_, false}};
  m.meta = std::move(meta);
  ctx_->index_writer->Apply({&m});
  KUMO_RETURN_IF_ERROR(m.status);
  return std::move(m.meta);
}

Result<ObjectMeta> ObjectWriterImpl::CommitPacked(ObjectMeta meta, const EventIntent* event) {
  meta.extents.clear();
  if (written_ == 0) {
    // An empty object needs no bytes on disk, only its index record.
    Mutation m;
    m.bucket = bucket_;
    m.ikey = ikey_;
    m.event = event;
    m.meta = std::move(meta);
    ctx_->index_writer->Apply({&m});
    KUMO_RETURN_IF_ERROR(m.status);
    return std::move(m.meta);
  }
  GroupCommitter::Request r;
  r.mutation.bucket = bucket_;
  r.mutation.ikey = ikey_;
  r.mutation.event = event;
  r.mutation.meta = std::move(meta);
  r.data = std::move(buf_);
  ctx_->committer->Submit({&r});
  KUMO_RETURN_IF_ERROR(r.mutation.status);
  return std::move(r.mutation.meta);
}

}  // namespace kumo::storage
