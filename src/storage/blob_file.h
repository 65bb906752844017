// BlobFile: an open file descriptor for a segment or extent file under blobs/, plus the
// POSIX helpers the engine needs (exclusive create, positional vectored writes, pread,
// fdatasync, directory sync). Blob files are shared through std::shared_ptr: a reader
// keeps the fd open, so the bytes stay readable after the file is unlinked (Linux keeps
// the inode alive until the last fd closes).
//
// Thread safety: all methods are positional (pread/pwrite), so one BlobFile may be used
// from many threads at once; the caller keeps concurrent writes to disjoint ranges.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::storage {

// Converts an errno value into an IOError naming what failed.
Status ErrnoStatus(std::string_view what, const std::string& path, int err);

class BlobFile {
 public:
  BlobFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~BlobFile();
  BlobFile(const BlobFile&) = delete;
  BlobFile& operator=(const BlobFile&) = delete;

  // Creates a new file (O_CREAT|O_EXCL: an id is never reused), open read-write.
  static Result<std::shared_ptr<BlobFile>> Create(const std::string& path);
  // Opens read-only. *missing is set when the file does not exist (then the result is an
  // error too), so callers can tell a raced unlink from a real I/O failure.
  static Result<std::shared_ptr<BlobFile>> OpenForRead(const std::string& path,
                                                       bool* missing = nullptr);
  // Opens an existing file read-write (recovery truncates segment tails with it).
  static Result<std::shared_ptr<BlobFile>> OpenForWrite(const std::string& path);

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  Status WriteAt(uint64_t offset, std::string_view data);
  // Writes all iovecs contiguously starting at offset; retries short writes and splits
  // past IOV_MAX. The iovecs are consumed (modified).
  Status WriteVAt(uint64_t offset, std::vector<iovec>* iov);
  // Reads up to n bytes; fewer only at end of file.
  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const;
  Status DataSync();
  Result<uint64_t> Size() const;
  // For a large file written front to back and synced at the end: once `end` (the bytes
  // written so far) is kWritebackWindow past the last call's, starts the writeback of
  // that window (sync_file_range, SYNC_FILE_RANGE_WRITE) without waiting for it. The disk
  // then writes while the rest arrives, and the final DataSync waits for the tail only,
  // instead of for the whole file; dirty pages stay bounded too. A hint: failures show
  // at DataSync. Not thread-safe (one writer per file).
  void StartWriteback(uint64_t end);

  static constexpr uint64_t kWritebackWindow = 8 << 20;

 private:
  int fd_;
  std::string path_;
  uint64_t writeback_from_ = 0;
};

// blobs/seg-<16 hex digits> or blobs/ext-<16 hex digits>.
std::string BlobName(bool packed, uint64_t id);
bool ParseBlobName(std::string_view name, bool* packed, uint64_t* id);

// fsync on a directory, so that file creations and renames in it are durable.
Status SyncDir(const std::string& dir);
// unlink; OK when the file is already gone.
Status RemoveFile(const std::string& path);
Status EnsureDir(const std::string& dir);
// Names of the entries of dir (not . and ..).
Result<std::vector<std::string>> ListDir(const std::string& dir);

}  // namespace kumo::storage
