// Users' secret keys at rest: sealed with the master key, never written in plain text,
// resealed when a key is first configured or rotated, and a wrong key refuses to open.
#include "storage/user_secrets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/secret_box.h"
#include "storage/meta_codec.h"
#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::OpenStore;
using testing::TempDir;
using testing::TestOptions;

const std::string kSecret = "UserSecretThatMustNotBeOnDisk0123456789";

bool AnyFileContains(const std::string& dir, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

// The secret as stored in the users column family.
std::string StoredSecret(const std::string& dir, const std::string& access_key) {
  auto index = Index::Open(dir + "/index", true);
  EXPECT_TRUE(index.ok());
  std::string value;
  EXPECT_TRUE((*index)->Get((*index)->users(), access_key, &value).value());
  UserRecord stored;
  EXPECT_TRUE(DecodeUserRecord(value, &stored));
  return stored.secret_key;
}

TEST(UserSecretsTest, SecretsAreSealedOnDiskAndOpenWithTheKey) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.master_key = NewMasterKey();
  {
    auto store = OpenStore(options);
    ASSERT_TRUE(store->PutUser({"AKUSER1", kSecret, 1, ""}).ok());
    EXPECT_EQ(store->GetUser("AKUSER1")->secret_key, kSecret);
  }
  EXPECT_FALSE(AnyFileContains(dir.path(), kSecret));
  EXPECT_TRUE(IsSealed(StoredSecret(dir.path(), "AKUSER1")));
  auto store = OpenStore(options);
  EXPECT_EQ(store->GetUser("AKUSER1")->secret_key, kSecret);
  ASSERT_EQ(store->ListUsers()->size(), 1u);
  EXPECT_EQ(store->ListUsers()->front().secret_key, kSecret);
}

TEST(UserSecretsTest, AWrongKeyRefusesToOpenTheStore) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.master_key = NewMasterKey();
  { ASSERT_TRUE(OpenStore(options)->PutUser({"AKUSER1", kSecret, 1, ""}).ok()); }
  options.master_key = NewMasterKey();
  auto opened = Store::Open(options);
  EXPECT_TRUE(opened.status().Is(ErrorCode::kCorruption)) << opened.status().ToString();
}

TEST(UserSecretsTest, PlainSecretsAreSealedWhenAKeyIsFirstConfigured) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  { ASSERT_TRUE(OpenStore(options)->PutUser({"AKOLD", kSecret, 1, ""}).ok()); }
  EXPECT_EQ(StoredSecret(dir.path(), "AKOLD"), kSecret);
  options.master_key = NewMasterKey();
  { EXPECT_EQ(OpenStore(options)->GetUser("AKOLD")->secret_key, kSecret); }
  EXPECT_TRUE(IsSealed(StoredSecret(dir.path(), "AKOLD")));
}

TEST(UserSecretsTest, RotationResealsWithTheNewKey) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  const std::string old_key = NewMasterKey(), new_key = NewMasterKey();
  options.master_key = old_key;
  { ASSERT_TRUE(OpenStore(options)->PutUser({"AKUSER1", kSecret, 1, ""}).ok()); }
  options.master_key = new_key;
  options.previous_master_key = old_key;
  { EXPECT_EQ(OpenStore(options)->GetUser("AKUSER1")->secret_key, kSecret); }
  // Resealed: the new key alone opens it now.
  const std::string stored = StoredSecret(dir.path(), "AKUSER1");
  EXPECT_EQ(*Unseal(new_key, "user-secret", stored), kSecret);
  options.previous_master_key.clear();
  EXPECT_EQ(OpenStore(options)->GetUser("AKUSER1")->secret_key, kSecret);
}

}  // namespace
}  // namespace kumo::storage
