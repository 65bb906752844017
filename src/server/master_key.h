// The master key that seals users' secret keys at rest (storage/user_secrets.h).
//
// From KUMO_MASTER_KEY (64 hex digits, e.g. `openssl rand -hex 32`; then nothing is
// written to disk), or else from <data_dir>/master-key (0600), created on first start.
// Rotation: with KUMO_MASTER_KEY, start once with the new key in KUMO_MASTER_KEY and the
// old one in KUMO_MASTER_KEY_PREVIOUS; with the key file, start once with
// `kumod --rotate-master-key`. Either way every secret is resealed with the new key
// before kumod serves. The key file holds the old key on a second line until the
// reseal is done, so a crash in between loses nothing.
// Thread safety: pure functions.
#pragma once

#include <string>

#include "common/status.h"

namespace kumo::server {

struct MasterKeySet {
  std::string current;   // raw, 32 bytes
  std::string previous;  // raw, or empty
  bool from_file = false;
  std::string file;  // <data_dir>/master-key
};

// env_current / env_previous: the values of KUMO_MASTER_KEY / KUMO_MASTER_KEY_PREVIOUS
// (empty when unset). Errors: kInvalidArgument (a malformed key), kIOError.
Result<MasterKeySet> ResolveMasterKey(const std::string& data_dir, const std::string& env_current,
                                      const std::string& env_previous, bool rotate);

// After the store has resealed every secret: drops the previous key from the key file.
Status FinishMasterKeyRotation(const MasterKeySet& keys);

}  // namespace kumo::server
