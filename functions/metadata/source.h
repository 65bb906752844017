// How the extractors read an object: a Stream reads it once from its start; an Object
// can open any number of Streams (libavformat seeks backwards by reopening). The plugin
// backs them with the host API's readers, the unit tests with memory.
// [Threading] one Stream per thread; Object::open may be called from the handling thread
// only. [Exceptions] Read and open throw on a failed read (kumo::plugin::Error from the
// host), which fails the extraction (the event is retried).
#ifndef KUMO_FUNCTIONS_METADATA_SOURCE_H
#define KUMO_FUNCTIONS_METADATA_SOURCE_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace kumo::metadata {

class Stream {
 public:
  virtual ~Stream() = default;
  // Up to capacity bytes; 0 at the end.
  virtual size_t Read(void* buffer, size_t capacity) = 0;
};

struct Object {
  uint64_t size = 0;
  std::string content_type;  // as the client claimed it; "" if none
  std::function<std::unique_ptr<Stream>()> open;
};

// Reads from s until out holds limit bytes or s ends; returns false if s ended first.
bool ReadUpTo(Stream& s, std::string& out, size_t limit);

// A Stream over bytes in memory that the caller keeps alive.
class MemoryStream : public Stream {
 public:
  explicit MemoryStream(std::string_view data) : data_(data) {}
  size_t Read(void* buffer, size_t capacity) override;

 private:
  std::string_view data_;
};

// Random access over an Object for decoders that seek (libavformat, libtiff, libheif
// through libvips): the first bytes come from head, in memory; the rest from a Stream in
// 64 KiB blocks, of which the last 16 read are kept (1 MiB: libtiff goes back and forth
// between an IFD and its tag arrays); the Stream moves forward by reading and discarding
// and backward by reopening the object (the host API has no ranged read), at most 16
// times. A failed read (an exception of the Stream)
// makes Read return -1 and is kept for RethrowIfFailed, so a host error is retried rather
// than reported as a corrupt file. [Threading] one thread at a time.
class RandomAccess {
 public:
  // rest, when not null, is a Stream of object positioned at head.size().
  RandomAccess(const Object& object, std::string_view head, std::unique_ptr<Stream> rest = {});

  // Up to capacity bytes at the position; 0 at the end; -1 on failure.
  int64_t Read(void* buffer, size_t capacity);
  // Moves to offset from SEEK_SET, SEEK_CUR or SEEK_END; the new position, or -1.
  int64_t Seek(int64_t offset, int whence);
  uint64_t size() const { return object_.size; }
  // Throws the exception a Stream threw during Read, if any.
  void RethrowIfFailed() const;

 private:
  // The cached block holding offset, read if need be; null on failure.
  const std::string* Block(uint64_t offset);
  bool Position(uint64_t offset);

  const Object& object_;
  std::string_view head_;
  uint64_t pos_ = 0;
  std::unique_ptr<Stream> stream_;
  uint64_t stream_pos_;
  int opens_ = 0;
  std::string scratch_;                                  // what a skip forward discards into
  std::deque<std::pair<uint64_t, std::string>> blocks_;  // (offset, bytes), oldest first
  std::exception_ptr failure_;
};

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_SOURCE_H
