#include "source.h"

#include <algorithm>
#include <cstring>

namespace kumo::metadata {

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

}  // namespace kumo::metadata
