#include "policy/canned.h"

#include <gtest/gtest.h>

#include "policy/evaluate.h"

namespace kumo::policy {
namespace {

Decision Eval(std::string_view canned, std::string_view action) {
  const Policy* p = CannedUserPolicy(canned);
  EXPECT_NE(p, nullptr) << canned;
  return Evaluate({p}, Principal::User("u", "AKIAU"), action, "arn:aws:s3:::b/k", RequestContext());
}

TEST(CannedUserPolicyTest, KnownNamesParse) {
  for (std::string_view name : {"readwrite", "readonly", "writeonly"}) {
    const Policy* p = CannedUserPolicy(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_TRUE(p->is_identity_policy);
    EXPECT_FALSE(CannedUserPolicyJson(name).empty());
  }
  EXPECT_EQ(CannedUserPolicy("admin"), nullptr);
  EXPECT_TRUE(CannedUserPolicyJson("admin").empty());
  EXPECT_EQ(CannedUserPolicy("readwrite"), CannedUserPolicy("readwrite"));  // parsed once
}

TEST(CannedUserPolicyTest, Grants) {
  EXPECT_EQ(Eval("readwrite", "s3:PutObject"), Decision::kAllow);
  EXPECT_EQ(Eval("readwrite", "s3:DeleteBucket"), Decision::kAllow);
  EXPECT_EQ(Eval("readwrite", "kumo:Admin"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval("readonly", "s3:GetObject"), Decision::kAllow);
  EXPECT_EQ(Eval("readonly", "s3:ListBucket"), Decision::kAllow);
  EXPECT_EQ(Eval("readonly", "s3:ListAllMyBuckets"), Decision::kAllow);
  EXPECT_EQ(Eval("readonly", "s3:PutObject"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval("readonly", "s3:DeleteObject"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval("writeonly", "s3:PutObject"), Decision::kAllow);
  EXPECT_EQ(Eval("writeonly", "s3:AbortMultipartUpload"), Decision::kAllow);
  EXPECT_EQ(Eval("writeonly", "s3:GetObject"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval("writeonly", "s3:DeleteObject"), Decision::kImplicitDeny);
}

}  // namespace
}  // namespace kumo::policy
