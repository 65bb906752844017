#include "storage/blob_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace kumo::storage {

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  return Status::IOError(std::string(what) + " " + path + ": " + std::strerror(err));
}

BlobFile::~BlobFile() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

Result<std::shared_ptr<BlobFile>> OpenWithFlags(const std::string& path, int flags, bool* missing) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (missing != nullptr) *missing = (errno == ENOENT);
    return ErrnoStatus("open", path, errno);
  }
  if (missing != nullptr) *missing = false;
  return std::make_shared<BlobFile>(fd, path);
}

}  // namespace

Result<std::shared_ptr<BlobFile>> BlobFile::Create(const std::string& path) {
  return OpenWithFlags(path, O_RDWR | O_CREAT | O_EXCL, nullptr);
}

Result<std::shared_ptr<BlobFile>> BlobFile::OpenForRead(const std::string& path, bool* missing) {
  return OpenWithFlags(path, O_RDONLY, missing);
}

Result<std::shared_ptr<BlobFile>> BlobFile::OpenForWrite(const std::string& path) {
  return OpenWithFlags(path, O_RDWR, nullptr);
}

Status BlobFile::WriteAt(uint64_t offset, std::string_view data) {
  std::vector<iovec> iov{{const_cast<char*>(data.data()), data.size()}};
  return WriteVAt(offset, &iov);
}

Status BlobFile::WriteVAt(uint64_t offset, std::vector<iovec>* iov) {
  size_t first = 0;
  while (first < iov->size()) {
    if ((*iov)[first].iov_len == 0) {
      ++first;
      continue;
    }
    int count = static_cast<int>(std::min<size_t>(iov->size() - first, IOV_MAX));
    ssize_t n = ::pwritev(fd_, iov->data() + first, count, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path_, errno);
    }
    offset += static_cast<uint64_t>(n);
    auto left = static_cast<size_t>(n);
    while (left > 0) {
      iovec& v = (*iov)[first];
      size_t step = std::min(left, v.iov_len);
      v.iov_base = static_cast<char*>(v.iov_base) + step;
      v.iov_len -= step;
      left -= step;
      if (v.iov_len == 0) ++first;
    }
  }
  return Status::OK();
}

Result<size_t> BlobFile::ReadAt(uint64_t offset, char* buf, size_t n) const {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path_, errno);
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

void BlobFile::StartWriteback(uint64_t end) {
  if (end < writeback_from_ + kWritebackWindow) return;
  ::sync_file_range(fd_, static_cast<off_t>(writeback_from_),
                    static_cast<off_t>(end - writeback_from_), SYNC_FILE_RANGE_WRITE);
  writeback_from_ = end;
}

Status BlobFile::DataSync() {
  if (::fdatasync(fd_) != 0) return ErrnoStatus("fdatasync", path_, errno);
  return Status::OK();
}

Result<uint64_t> BlobFile::Size() const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return ErrnoStatus("fstat", path_, errno);
  return static_cast<uint64_t>(st.st_size);
}

std::string BlobName(bool packed, uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s-%016" PRIx64, packed ? "seg" : "ext", id);
  return buf;
}

bool ParseBlobName(std::string_view name, bool* packed, uint64_t* id) {
  if (name.size() != 20 || name[3] != '-') return false;
  std::string_view kind = name.substr(0, 3);
  if (kind != "seg" && kind != "ext") return false;
  uint64_t v = 0;
  for (char c : name.substr(4)) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return false;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *packed = (kind == "seg");
  *id = v;
  return true;
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open dir", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync dir", dir, err);
  return Status::OK();
}

Status RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("unlink", path, errno);
  return Status::OK();
}

Status EnsureDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoStatus("mkdir", dir, errno);
  }
  return Status::OK();
}

Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("opendir", dir, errno);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(d);
  return names;
}

}  // namespace kumo::storage
