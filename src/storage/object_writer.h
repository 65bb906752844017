// ObjectWriterImpl: streams one object either into memory (destined for a packed
// segment) or into its own extent file.
//
// Known small sizes (0 <= size_hint < small_object_threshold) and unknown sizes start in
// memory; the buffer never reaches the threshold: the moment the object would, the
// bytes spill to a new extent file. Known large sizes go straight to an extent file
// through a bounded write buffer. Memory per writer is thus at most
// max(threshold, kWriteBufferBytes).
//
// Thread safety: one thread at a time (ObjectWriter contract).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/store.h"
#include "storage/store_context.h"

namespace kumo::storage {

class ObjectWriterImpl : public ObjectWriter {
 public:
  ObjectWriterImpl(const StoreContext* ctx, std::string bucket, std::string ikey,
                   int64_t size_hint);
  // Without a successful Commit, removes the extent file (if any): nothing written
  // becomes visible.
  ~ObjectWriterImpl() override;

  Status Append(std::string_view data) override;
  uint64_t bytes_written() const override { return written_; }
  Result<ObjectMeta> Commit(ObjectMeta meta, const EventIntent* event = nullptr) override;

 private:
  static constexpr size_t kWriteBufferBytes = 1 << 20;

  Status Spill();
  Status FlushBuffer();
  Result<ObjectMeta> CommitExtent(ObjectMeta meta, const EventIntent* event);
  Result<ObjectMeta> CommitPacked(ObjectMeta meta, const EventIntent* event);

  const StoreContext* const ctx_;
  const std::string bucket_;
  const std::string ikey_;
  std::string buf_;                 // in memory: the whole object; extent: bytes not yet written
  std::shared_ptr<BlobFile> file_;  // set once the object goes to an extent file
  uint64_t file_id_ = 0;
  uint64_t file_offset_ = 0;  // bytes already written to file_
  uint64_t written_ = 0;
  Status error_;  // sticky: a failed write poisons the writer
  bool committed_ = false;
};

}  // namespace kumo::storage
