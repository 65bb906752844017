#include "server/credentials.h"

#include <sstream>

#include "admin/admin_api.h"
#include "server/private_file.h"

namespace kumo::server {

Result<std::string> StoreCredentials::SecretFor(std::string_view access_key) const {
  if (access_key == root_access_key_) return root_secret_key_;
  auto user = store_->GetUser(access_key);
  if (!user.ok()) {
    return Status(ErrorCode::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  return user->secret_key;
}

Result<RootCredentials> ResolveRootCredentials(const std::string& access_key,
                                               const std::string& secret_key,
                                               const std::string& data_dir) {
  if (!access_key.empty() && !secret_key.empty()) return RootCredentials{access_key, secret_key};
  if (access_key.empty() != secret_key.empty()) {
    return Status::InvalidArgument(
        "set both KUMO_ROOT_ACCESS_KEY and KUMO_ROOT_SECRET_KEY, or neither");
  }
  const std::string file = data_dir + "/root-credentials";
  KUMO_ASSIGN_OR_RETURN(auto contents, ReadPrivateFile(file));
  RootCredentials c;
  if (contents) {
    std::istringstream in(*contents);
    if (std::getline(in, c.access_key) && std::getline(in, c.secret_key) && !c.access_key.empty() &&
        !c.secret_key.empty()) {
      return c;
    }
  }
  c.access_key = admin::RandomKey(20, false);
  c.secret_key = admin::RandomKey(40, true);
  c.generated = true;
  // Durable before it is printed: a lost file would mean a new key at the next start,
  // locking out every client configured with this one.
  KUMO_RETURN_IF_ERROR(WritePrivateFile(file, c.access_key + "\n" + c.secret_key + "\n"));
  return c;
}

}  // namespace kumo::server
