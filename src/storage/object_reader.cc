#include "storage/object_reader.h"

#include <algorithm>
#include <vector>

#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

class ObjectReaderImpl : public ObjectReader {
 public:
  ObjectReaderImpl(ObjectMeta meta, std::vector<std::shared_ptr<BlobFile>> files)
      : meta_(std::move(meta)), files_(std::move(files)) {}

  const ObjectMeta& meta() const override { return meta_; }

  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) override {
    size_t done = 0;
    uint64_t start = 0;  // object offset of extent i
    for (size_t i = 0; i < meta_.extents.size() && done < n; ++i) {
      const Extent& e = meta_.extents[i];
      uint64_t pos = offset + done;
      if (pos >= start + e.length) {
        start += e.length;
        continue;
      }
      uint64_t in_extent = pos - start;
      size_t want = static_cast<size_t>(std::min<uint64_t>(n - done, e.length - in_extent));
      KUMO_ASSIGN_OR_RETURN(size_t got, files_[i]->ReadAt(e.offset + in_extent, buf + done, want));
      if (got != want) return Status::Corruption("blob file shorter than its extent");
      done += got;
      start += e.length;
    }
    return done;
  }

 private:
  const ObjectMeta meta_;
  const std::vector<std::shared_ptr<BlobFile>> files_;  // one per extent
};

}  // namespace

Result<ObjectMeta> ReadObjectMeta(const StoreContext* ctx, const std::string& ikey) {
  std::string value;
  KUMO_ASSIGN_OR_RETURN(bool found, ctx->index->Get(ctx->index->objects(), ikey, &value));
  if (!found) return Status::NoSuchKey();
  ObjectMeta meta;
  if (!DecodeObjectMeta(value, &meta)) return Status::Corruption("bad object record");
  return meta;
}

Result<std::unique_ptr<ObjectReader>> OpenObjectReader(const StoreContext* ctx,
                                                       const std::string& ikey) {
  // Each retry means a concurrent overwrite or compaction moved the object; a handful is
  // plenty unless the index points at a file that really is gone.
  constexpr int kAttempts = 8;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    KUMO_ASSIGN_OR_RETURN(ObjectMeta meta, ReadObjectMeta(ctx, ikey));
    std::vector<std::shared_ptr<BlobFile>> files;
    bool vanished = false;
    for (const Extent& e : meta.extents) {
      std::shared_ptr<BlobFile> file;
      if (e.packed) {
        KUMO_ASSIGN_OR_RETURN(file, ctx->segments->GetFile(e.file_id));
      } else {
        bool missing = false;
        auto opened = BlobFile::OpenForRead(ctx->BlobPath(false, e.file_id), &missing);
        if (!opened.ok() && !missing) return opened.status();
        if (opened.ok()) file = std::move(opened).value();
      }
      if (!file) {
        vanished = true;
        break;
      }
      files.push_back(std::move(file));
    }
    if (!vanished) {
      return std::unique_ptr<ObjectReader>(
          std::make_unique<ObjectReaderImpl>(std::move(meta), std::move(files)));
    }
  }
  return Status::Corruption("object data file missing");
}

}  // namespace kumo::storage
