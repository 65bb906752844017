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
#include <functional>
#include <memory>
#include <string>
#include <string_view>

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

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_SOURCE_H
