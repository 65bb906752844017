#include "source.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

namespace kumo::metadata {
namespace {

constexpr uint64_t kBlockSize = 64 * 1024;
constexpr size_t kBlocks = 16;

}  // namespace

bool ReadUpTo(Stream& s, std::string& out, size_t limit) {
  while (out.size() < limit) {
    size_t old = out.size();
    size_t want = std::min<size_t>(limit - old, 256 * 1024);
    out.resize(old + want);
    size_t n = s.Read(out.data() + old, want);
    out.resize(old + n);
    if (n == 0) return false;
  }
  return true;
}

size_t MemoryStream::Read(void* buffer, size_t capacity) {
  size_t n = std::min(capacity, data_.size());
  if (n > 0) std::memcpy(buffer, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

RandomAccess::RandomAccess(const Object& object, std::string_view head,
                           std::unique_ptr<Stream> rest)
    : object_(object), head_(head), stream_(std::move(rest)), stream_pos_(head.size()) {}

int64_t RandomAccess::Read(void* buffer, size_t capacity) {
  if (failure_) return -1;
  if (pos_ >= object_.size) return 0;
  size_t want = static_cast<size_t>(std::min<uint64_t>(capacity, object_.size - pos_));
  if (pos_ < head_.size()) {
    size_t n = std::min<size_t>(want, head_.size() - pos_);
    std::memcpy(buffer, head_.data() + pos_, n);
    pos_ += n;
    return static_cast<int64_t>(n);
  }
  try {
    const std::string* block = Block(pos_);
    if (block == nullptr) return -1;
    uint64_t start = pos_ - pos_ % kBlockSize;
    size_t n = std::min<size_t>(want, block->size() - static_cast<size_t>(pos_ - start));
    if (n == 0) return -1;  // the object is shorter than its size said
    std::memcpy(buffer, block->data() + (pos_ - start), n);
    pos_ += n;
    return static_cast<int64_t>(n);
  } catch (...) {
    failure_ = std::current_exception();
    return -1;
  }
}

int64_t RandomAccess::Seek(int64_t offset, int whence) {
  int64_t base = whence == SEEK_CUR   ? static_cast<int64_t>(pos_)
                 : whence == SEEK_END ? static_cast<int64_t>(object_.size)
                                      : 0;
  if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) return -1;
  int64_t target = base + offset;
  if (target < 0) return -1;
  pos_ = static_cast<uint64_t>(target);
  return target;
}

void RandomAccess::RethrowIfFailed() const {
  if (failure_) std::rethrow_exception(failure_);
}

const std::string* RandomAccess::Block(uint64_t offset) {
  uint64_t start = offset - offset % kBlockSize;
  for (const auto& [block_start, bytes] : blocks_) {
    if (block_start == start) return &bytes;
  }
  if (!Position(start)) return nullptr;
  std::string bytes(static_cast<size_t>(std::min<uint64_t>(kBlockSize, object_.size - start)),
                    '\0');
  size_t filled = 0;
  while (filled < bytes.size()) {
    size_t n = stream_->Read(bytes.data() + filled, bytes.size() - filled);
    if (n == 0) break;
    filled += n;
  }
  stream_pos_ += filled;
  bytes.resize(filled);
  if (blocks_.size() >= kBlocks) blocks_.pop_front();
  blocks_.emplace_back(start, std::move(bytes));
  return &blocks_.back().second;
}

bool RandomAccess::Position(uint64_t offset) {
  if (!stream_ || stream_pos_ > offset) {
    if (++opens_ > 16) return false;
    stream_ = object_.open();
    stream_pos_ = 0;
  }
  if (scratch_.empty()) scratch_.resize(kBlockSize);
  while (stream_pos_ < offset) {
    size_t n =
        stream_->Read(scratch_.data(), std::min<uint64_t>(scratch_.size(), offset - stream_pos_));
    if (n == 0) return false;
    stream_pos_ += n;
  }
  return true;
}

}  // namespace kumo::metadata
