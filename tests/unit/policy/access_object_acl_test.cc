// Decide with object ACLs (policy/access.cc): what an object's ACL and its owner grant.
#include <gtest/gtest.h>

#include "policy/access.h"

namespace kumo::policy {
namespace {

const std::string kBucket = "b", kAlice = "alice", kBob = "bob", kCarol = "carol";

UserAccess MakeUser(const std::string& name) {
  UserAccess u;
  u.name = name;
  u.principal = Principal::User(name, name);
  return u;
}

class ObjectAclDecideTest : public ::testing::Test {
 protected:
  ObjectAclDecideTest() : bob_(MakeUser(kBob)), carol_(MakeUser(kCarol)) {
    bucket_.name = kBucket;
    bucket_.owner = kAlice;
  }

  Decision Ask(const UserAccess* user, std::string_view action, const Acl& object_acl) {
    auto object = std::make_shared<ObjectAccess>();
    object->acl = object_acl;
    AccessRequest r;
    r.user = user;
    r.action = action;
    r.resource = "arn:aws:s3:::b/k";
    r.bucket = &bucket_;
    r.object = [object] { return object; };
    return Decide(r);
  }

  BucketAccess bucket_;
  UserAccess bob_, carol_;
};

TEST_F(ObjectAclDecideTest, TheOwnerMayAlwaysReadAndWriteTheAcl) {
  // bob owns the object (ObjectWriter) but its ACL gives bob nothing.
  Acl acl;
  acl.owner = "bob";
  acl.grants.push_back({GranteeType::kCanonicalUser, "carol", AclPermission::kRead});
  EXPECT_EQ(Ask(&bob_, "s3:GetObjectAcl", acl), Decision::kAllow);
  EXPECT_EQ(Ask(&bob_, "s3:PutObjectAcl", acl), Decision::kAllow);
  EXPECT_EQ(Ask(&bob_, "s3:GetObject", acl), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(&carol_, "s3:GetObject", acl), Decision::kAllow);
  EXPECT_EQ(Ask(&carol_, "s3:GetObjectAcl", acl), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:GetObjectAcl", acl), Decision::kImplicitDeny);
}

TEST_F(ObjectAclDecideTest, AclsOffIgnoreObjectAcls) {
  bucket_.ownership = ObjectOwnership::kBucketOwnerEnforced;
  Acl acl = PrivateAcl("bob");
  acl.grants.push_back({GranteeType::kAllUsers, "", AclPermission::kRead});
  EXPECT_EQ(Ask(&bob_, "s3:GetObjectAcl", acl), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", acl), Decision::kImplicitDeny);
}

}  // namespace
}  // namespace kumo::policy
