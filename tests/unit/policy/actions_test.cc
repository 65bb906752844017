#include "policy/actions.h"

#include <gtest/gtest.h>

namespace kumo::policy {
namespace {

ActionSet Bit(std::string_view name) { return ActionSet{1} << *ActionIndex(name); }

TEST(ActionsTest, IndexIsCaseInsensitive) {
  ASSERT_TRUE(ActionIndex("s3:GetObject").has_value());
  EXPECT_EQ(ActionIndex("S3:getobject"), ActionIndex("s3:GetObject"));
  EXPECT_FALSE(ActionIndex("s3:GetObjects").has_value());
  EXPECT_EQ(ActionBit("s3:NoSuchThing"), ActionSet{1} << kOtherActionBit);
}

TEST(ActionsTest, CompileExactAndWildcards) {
  EXPECT_EQ(CompileActionPattern("s3:GetObject"), Bit("s3:GetObject"));
  EXPECT_EQ(CompileActionPattern("S3:GETOBJECT"), Bit("s3:GetObject"));
  std::optional<ActionSet> get = CompileActionPattern("s3:Get*");
  ASSERT_TRUE(get.has_value());
  EXPECT_NE(*get & Bit("s3:GetObject"), 0u);
  EXPECT_NE(*get & Bit("s3:GetBucketPolicyStatus"), 0u);
  EXPECT_EQ(*get & Bit("s3:PutObject"), 0u);
  std::optional<ActionSet> s3 = CompileActionPattern("s3:*");
  ASSERT_TRUE(s3.has_value());
  EXPECT_NE(*s3 & Bit("s3:DeleteObjectVersion"), 0u);
  EXPECT_EQ(*s3 & Bit("kumo:Admin"), 0u);
  EXPECT_EQ(*s3 & (ActionSet{1} << kOtherActionBit), 0u);
  EXPECT_EQ(CompileActionPattern("*"), ~ActionSet{0});
  EXPECT_EQ(CompileActionPattern("kumo:Admin"), Bit("kumo:Admin"));
  EXPECT_EQ(CompileActionPattern("kumo:catalogsql"), Bit("kumo:CatalogSql"));
  EXPECT_EQ(*s3 & Bit("kumo:CatalogSql"), 0u);
  EXPECT_EQ(CompileActionPattern("kumo:*"),
            Bit("kumo:Admin") | Bit("kumo:CatalogSql") | Bit("kumo:PutCatalogAttributes"));
  EXPECT_EQ(CompileActionPattern("s3:?etObject"), Bit("s3:GetObject"));
}

TEST(ActionsTest, RejectsUnknown) {
  EXPECT_FALSE(CompileActionPattern("s3:GetObjects").has_value());
  EXPECT_FALSE(CompileActionPattern("GetObject").has_value());
  EXPECT_FALSE(CompileActionPattern("s3:").has_value());
  EXPECT_FALSE(CompileActionPattern("ec2:*").has_value());
  EXPECT_FALSE(CompileActionPattern("s3:Frob*").has_value());
  EXPECT_FALSE(CompileActionPattern("").has_value());
}

}  // namespace
}  // namespace kumo::policy
