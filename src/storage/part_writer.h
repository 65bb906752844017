// PartWriterImpl: streams one multipart part to its own new extent file, whatever its
// size, so CompleteUpload can reference the file without copying it. Memory stays
// bounded by a write buffer of kWriteBufferBytes.
//
// Commit fsyncs the file (and blobs/, for its name), then records the part through
// MultipartStoreImpl::CommitPart. Without a successful Commit, the destructor unlinks
// the file; a crash before the commit leaves a file no "extents" entry names, which
// recovery deletes.
//
// Thread safety: one thread at a time (PartWriter contract).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/blob_file.h"
#include "storage/multipart.h"
#include "storage/store_context.h"

namespace kumo::storage {

class MultipartStoreImpl;

class PartWriterImpl : public PartWriter {
 public:
  PartWriterImpl(const StoreContext* ctx, MultipartStoreImpl* store, std::string bucket,
                 std::string key, std::string upload_id, int part_number);
  ~PartWriterImpl() override;

  // Allocates the file id and creates the extent file; call once before Append.
  Status Open();
  Status Append(std::string_view data) override;
  Result<PartInfo> Commit(PartInfo part) override;

 private:
  static constexpr size_t kWriteBufferBytes = 1 << 20;

  Status Flush();

  const StoreContext* const ctx_;
  MultipartStoreImpl* const store_;
  const std::string bucket_;
  const std::string key_;
  const std::string upload_id_;
  const int part_number_;
  std::shared_ptr<BlobFile> file_;
  uint64_t file_id_ = 0;
  uint64_t file_offset_ = 0;  // bytes already written to file_
  std::string buf_;           // bytes not yet written
  Status error_;              // sticky: a failed write poisons the writer
  bool committed_ = false;
};

}  // namespace kumo::storage
