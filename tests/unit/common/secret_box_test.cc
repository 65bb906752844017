#include "common/secret_box.h"

#include <gtest/gtest.h>

namespace kumo {
namespace {

TEST(SecretBoxTest, SealsAndOpensWithTheSameKeyAndPurpose) {
  const std::string key = NewMasterKey();
  ASSERT_EQ(key.size(), kMasterKeyBytes);
  auto sealed = Seal(key, "user-secret", "s3cr3t/Key+value");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_TRUE(IsSealed(*sealed));
  EXPECT_EQ(sealed->find("s3cr3t"), std::string::npos);
  EXPECT_NE(*sealed, *Seal(key, "user-secret", "s3cr3t/Key+value"));  // a fresh nonce each time
  auto opened = Unseal(key, "user-secret", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "s3cr3t/Key+value");
}

TEST(SecretBoxTest, RefusesAnotherKeyAnotherPurposeAndAlteredValues) {
  const std::string key = NewMasterKey();
  const std::string sealed = *Seal(key, "user-secret", "value");
  EXPECT_TRUE(Unseal(NewMasterKey(), "user-secret", sealed).status().Is(ErrorCode::kCorruption));
  EXPECT_TRUE(Unseal(key, "other", sealed).status().Is(ErrorCode::kCorruption));
  std::string altered = sealed;
  altered.back() = altered.back() == '0' ? '1' : '0';
  EXPECT_TRUE(Unseal(key, "user-secret", altered).status().Is(ErrorCode::kCorruption));
  EXPECT_TRUE(Unseal(key, "user-secret", "kumo-sealed:v1:00").status().Is(ErrorCode::kCorruption));
  EXPECT_TRUE(Unseal(key, "user-secret", "plain").status().Is(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(Seal("short", "user-secret", "v").ok());
}

}  // namespace
}  // namespace kumo
