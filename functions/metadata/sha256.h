// A streamed SHA-256 (OpenSSL EVP): Update with each chunk, then HexDigest. The digest
// implementation is fetched once per process. Not thread-safe: one per object.
#ifndef KUMO_FUNCTIONS_METADATA_SHA256_H
#define KUMO_FUNCTIONS_METADATA_SHA256_H

#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace kumo::metadata {

class Sha256 {
 public:
  Sha256();  // throws std::runtime_error if OpenSSL cannot set up the digest
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // The lower-case hex digest of everything given to Update; call once.
  std::string HexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_SHA256_H
