#include "storage/key_codec.h"

namespace kumo::storage {

namespace {
constexpr char kEscape = '\xff';  // follows a 0x00 that belongs to the bucket name
constexpr char kEnd = '\x01';     // follows the 0x00 that ends the bucket name
}  // namespace

std::string BucketPrefix(std::string_view bucket) {
  std::string out;
  out.reserve(bucket.size() + 2);
  for (char c : bucket) {
    out.push_back(c);
    if (c == '\0') out.push_back(kEscape);
  }
  out.push_back('\0');
  out.push_back(kEnd);
  return out;
}

std::string EncodeObjectKey(std::string_view bucket, std::string_view key) {
  std::string out = BucketPrefix(bucket);
  out.append(key);
  return out;
}

bool DecodeObjectKey(std::string_view ikey, std::string* bucket, std::string* key) {
  bucket->clear();
  for (size_t i = 0; i < ikey.size(); ++i) {
    if (ikey[i] != '\0') {
      bucket->push_back(ikey[i]);
      continue;
    }
    if (i + 1 >= ikey.size()) return false;
    if (ikey[i + 1] == kEscape) {
      bucket->push_back('\0');
      ++i;
    } else if (ikey[i + 1] == kEnd) {
      key->assign(ikey.substr(i + 2));
      return true;
    } else {
      return false;
    }
  }
  return false;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xff) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

std::string EncodeFileId(uint64_t id) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(id & 0xff);
    id >>= 8;
  }
  return out;
}

bool DecodeFileId(std::string_view s, uint64_t* id) {
  if (s.size() != 8) return false;
  uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
  *id = v;
  return true;
}

}  // namespace kumo::storage
