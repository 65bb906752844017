#include "storage/user_secrets.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "common/secret_box.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

constexpr std::string_view kPurpose = "user-secret";

// The plain secret of a stored one; *stale: not sealed with the current key.
Result<std::string> OpenSecret(const std::string& stored, const MasterKeys& keys, bool* stale) {
  *stale = false;
  if (!IsSealed(stored)) {
    *stale = !keys.current.empty();
    return stored;
  }
  if (!keys.current.empty()) {
    auto opened = Unseal(keys.current, kPurpose, stored);
    if (opened.ok()) return opened;
  }
  if (!keys.previous.empty()) {
    auto opened = Unseal(keys.previous, kPurpose, stored);
    if (opened.ok()) {
      *stale = true;
      return opened;
    }
  }
  return Status::Corruption(
      "a stored user secret does not open with the master key (KUMO_MASTER_KEY or "
      "<data_dir>/master-key; during a rotation set the old one as KUMO_MASTER_KEY_PREVIOUS)");
}

}  // namespace

Result<std::string> EncodeUser(const UserRecord& user, const MasterKeys& keys) {
  if (keys.current.empty()) return EncodeUserRecord(user);
  UserRecord sealed = user;
  KUMO_ASSIGN_OR_RETURN(sealed.secret_key, Seal(keys.current, kPurpose, user.secret_key));
  return EncodeUserRecord(sealed);
}

Result<UserRecord> DecodeUser(std::string_view value, const MasterKeys& keys) {
  UserRecord user;
  if (!DecodeUserRecord(value, &user)) return Status::Corruption("bad user record");
  bool stale = false;
  KUMO_ASSIGN_OR_RETURN(user.secret_key, OpenSecret(user.secret_key, keys, &stale));
  return user;
}

Status ResealUsers(Index* index, const MasterKeys& keys) {
  rocksdb::WriteBatch batch;
  size_t resealed = 0;
  std::unique_ptr<rocksdb::Iterator> it(
      index->db()->NewIterator(rocksdb::ReadOptions(), index->users()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    UserRecord user;
    if (!DecodeUserRecord({it->value().data(), it->value().size()}, &user)) {
      return Status::Corruption("bad user record");
    }
    bool stale = false;
    KUMO_ASSIGN_OR_RETURN(user.secret_key, OpenSecret(user.secret_key, keys, &stale));
    if (!stale) continue;
    KUMO_ASSIGN_OR_RETURN(std::string value, EncodeUser(user, keys));
    batch.Put(index->users(), user.access_key, value);
    ++resealed;
  }
  KUMO_RETURN_IF_ERROR(FromRocks(it->status()));
  if (resealed == 0) return Status::OK();
  KUMO_RETURN_IF_ERROR(index->Write(&batch, /*synced=*/true));
  spdlog::info("storage: sealed {} user secret(s) with the current master key", resealed);
  return Status::OK();
}

}  // namespace kumo::storage
