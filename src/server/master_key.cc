#include "server/master_key.h"

#include <spdlog/spdlog.h>

#include <sstream>

#include "common/hash.h"
#include "common/secret_box.h"
#include "server/private_file.h"

namespace kumo::server {

namespace {

Result<std::string> ParseKey(const std::string& hex, const std::string& where) {
  std::string raw;
  if (hex.size() != 2 * kMasterKeyBytes || !HexDecode(hex, &raw)) {
    return Status::InvalidArgument(where + " must be 64 hex digits (openssl rand -hex 32)");
  }
  return raw;
}

Status WriteKeyFile(const MasterKeySet& keys) {
  std::string contents = HexEncode(keys.current) + "\n";
  if (!keys.previous.empty()) contents += HexEncode(keys.previous) + "\n";
  return WritePrivateFile(keys.file, contents);
}

}  // namespace

Result<MasterKeySet> ResolveMasterKey(const std::string& data_dir, const std::string& env_current,
                                      const std::string& env_previous, bool rotate) {
  MasterKeySet keys;
  keys.file = data_dir + "/master-key";
  if (!env_current.empty()) {
    if (rotate) {
      return Status::InvalidArgument(
          "--rotate-master-key rotates the key file; with KUMO_MASTER_KEY, set the new key "
          "there and the old one in KUMO_MASTER_KEY_PREVIOUS");
    }
    KUMO_ASSIGN_OR_RETURN(keys.current, ParseKey(env_current, "KUMO_MASTER_KEY"));
    if (!env_previous.empty()) {
      KUMO_ASSIGN_OR_RETURN(keys.previous, ParseKey(env_previous, "KUMO_MASTER_KEY_PREVIOUS"));
    }
    return keys;
  }
  keys.from_file = true;
  KUMO_ASSIGN_OR_RETURN(auto contents, ReadPrivateFile(keys.file));
  if (!contents) {
    keys.current = NewMasterKey();
    KUMO_RETURN_IF_ERROR(WriteKeyFile(keys));
    spdlog::info("master key created in {} (keep a copy with your backups)", keys.file);
    return keys;
  }
  std::istringstream lines(*contents);
  std::string current, previous;
  std::getline(lines, current);
  std::getline(lines, previous);
  KUMO_ASSIGN_OR_RETURN(keys.current, ParseKey(current, keys.file));
  if (!previous.empty()) {
    KUMO_ASSIGN_OR_RETURN(keys.previous, ParseKey(previous, keys.file + " (second line)"));
  }
  if (rotate) {
    // The new key goes to disk before anything is sealed with it, the old one beside it
    // until FinishMasterKeyRotation.
    keys.previous = keys.current;
    keys.current = NewMasterKey();
    KUMO_RETURN_IF_ERROR(WriteKeyFile(keys));
    spdlog::info("master key rotated in {}", keys.file);
  }
  return keys;
}

Status FinishMasterKeyRotation(const MasterKeySet& keys) {
  if (!keys.from_file || keys.previous.empty()) return Status::OK();
  MasterKeySet done = keys;
  done.previous.clear();
  return WriteKeyFile(done);
}

}  // namespace kumo::server
