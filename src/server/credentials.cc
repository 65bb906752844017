#include "server/credentials.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "admin/admin_api.h"

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
  std::filesystem::path file = std::filesystem::path(data_dir) / "root-credentials";
  std::ifstream in(file);
  RootCredentials c;
  if (in && std::getline(in, c.access_key) && std::getline(in, c.secret_key) &&
      !c.access_key.empty() && !c.secret_key.empty()) {
    return c;
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  c.access_key = admin::RandomKey(20, false);
  c.secret_key = admin::RandomKey(40, true);
  c.generated = true;
  std::string tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << c.access_key << "\n" << c.secret_key << "\n";
    out.flush();
    if (!out) return Status::IOError("cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Status::IOError("cannot write " + file.string() + ": " + ec.message());
  return c;
}

}  // namespace kumo::server
