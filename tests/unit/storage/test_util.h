// Helpers shared by the storage tests: a temporary data directory per test, and small
// wrappers to write and read whole objects.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.h"
#include "storage/store_impl.h"

namespace kumo::storage::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kumo-storage-test-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    path_ = p != nullptr ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Small threshold and tiny segments so tests exercise both paths and segment rollover.
inline StoreOptions TestOptions(const std::string& dir) {
  StoreOptions o;
  o.data_dir = dir;
  o.small_object_threshold = 4096;
  o.segment_target_bytes = 64 * 1024;
  o.compaction_interval_ms = 0;
  return o;
}

inline std::unique_ptr<StoreImpl> OpenStore(const StoreOptions& o) {
  auto r = StoreImpl::OpenImpl(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

inline void MakeBucket(Store* s, const std::string& name) {
  BucketInfo b;
  b.name = name;
  b.owner = "owner";
  Status st = s->CreateBucket(b);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

// Writes data in chunks of `chunk` bytes; size_hint -2 means "use data.size()".
inline Result<ObjectMeta> Put(Store* s, const std::string& bucket, const std::string& key,
                              const std::string& data, int64_t size_hint = -2,
                              size_t chunk = 1000) {
  if (size_hint == -2) size_hint = static_cast<int64_t>(data.size());
  KUMO_ASSIGN_OR_RETURN(auto w, s->NewObjectWriter(bucket, key, size_hint));
  for (size_t off = 0; off < data.size(); off += chunk) {
    KUMO_RETURN_IF_ERROR(w->Append(std::string_view(data).substr(off, chunk)));
  }
  ObjectMeta meta;
  meta.etag = "etag-" + key;
  meta.content_type = "application/octet-stream";
  meta.user_meta = {{"k", "v"}};
  return w->Commit(meta);
}

inline std::string ReadAll(ObjectReader* r) {
  std::string out(r->meta().size, '\0');
  auto n = r->ReadAt(0, out.data(), out.size());
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  if (n.ok()) out.resize(*n);
  return out;
}

inline std::string Get(Store* s, const std::string& bucket, const std::string& key) {
  auto r = s->OpenObject(bucket, key);
  EXPECT_TRUE(r.ok()) << key << ": " << r.status().ToString();
  return r.ok() ? ReadAll(r->get()) : std::string();
}

// Deterministic pseudo-random bytes.
inline std::string Bytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

// prefix + n, built with += (GCC 12 -O3 warns falsely, -Wrestrict, on "literal" + string).
inline std::string Numbered(std::string_view prefix, long n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

inline size_t CountFiles(const std::string& dir, const std::string& prefix) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) ++n;
  }
  return n;
}

}  // namespace kumo::storage::testing
