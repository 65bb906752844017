// The credentials kumod accepts: the root key pair (config / environment, or generated
// once and kept in <data_dir>/root-credentials) and the users stored in the index.
// [Threading] SecretFor is thread-safe.
#pragma once

#include <string>

#include "auth/sigv4.h"
#include "storage/store.h"

namespace kumo::server {

class StoreCredentials final : public auth::CredentialLookup {
 public:
  StoreCredentials(std::string root_access_key, std::string root_secret_key, storage::Store* store)
      : root_access_key_(std::move(root_access_key)),
        root_secret_key_(std::move(root_secret_key)),
        store_(store) {}
  Result<std::string> SecretFor(std::string_view access_key) const override;

 private:
  std::string root_access_key_;
  std::string root_secret_key_;
  storage::Store* store_;
};

struct RootCredentials {
  std::string access_key;
  std::string secret_key;
  bool generated = false;  // true the first time: print them
};

// Uses the configured pair when both are set; otherwise reads or creates
// <data_dir>/root-credentials (mode 0600). Errors: kIOError.
Result<RootCredentials> ResolveRootCredentials(const std::string& access_key,
                                               const std::string& secret_key,
                                               const std::string& data_dir);

}  // namespace kumo::server
