// Users' secret keys at rest: sealed with the master key (common/secret_box.h) when one
// is configured, so the index files alone do not give a reader any credential. Records
// written before a master key existed, or sealed with the previous key of a rotation,
// are resealed with the current key when the store opens.
// Thread safety: pure functions over the index (thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/index.h"
#include "storage/store.h"

namespace kumo::storage {

struct MasterKeys {
  std::string current;   // empty: secrets are stored as they are
  std::string previous;  // during a rotation: the key secrets may still be sealed with
};

// The stored form of user (its secret sealed with keys.current).
Result<std::string> EncodeUser(const UserRecord& user, const MasterKeys& keys);
// The record of a stored value, its secret opened. Errors: kCorruption.
Result<UserRecord> DecodeUser(std::string_view value, const MasterKeys& keys);
// Reseals every record whose secret is plain or sealed with keys.previous. Errors:
// kCorruption when a secret opens with neither key (kumod must not start with a key
// that locks every user out).
Status ResealUsers(Index* index, const MasterKeys& keys);

}  // namespace kumo::storage
