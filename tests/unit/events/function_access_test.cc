// The principal a function acts as (src/events/function_access.h): the built-in
// principal's policy, run_as users and root, all decided by policy::Decide over snapshots
// an AccessCache serves (here from in-memory maps, no store).
#include "events/function_access.h"

#include <gtest/gtest.h>

#include <map>

#include "policy/policy_document.h"

namespace kumo::events {
namespace {

constexpr std::string_view kRoot = "ROOTKEY";

// Buckets and users an AccessCache loads, held in maps the test fills.
class Fixture : public ::testing::Test {
 protected:
  Fixture()
      : cache_(
            std::string(kRoot),
            [this](std::string_view name) -> Result<std::shared_ptr<const policy::BucketAccess>> {
              auto it = buckets_.find(std::string(name));
              if (it == buckets_.end()) return std::shared_ptr<const policy::BucketAccess>();
              return it->second;
            },
            [this](std::string_view key) -> Result<std::shared_ptr<const policy::UserAccess>> {
              auto it = users_.find(std::string(key));
              if (it == users_.end()) return Status(ErrorCode::kInvalidAccessKeyId, "no user");
              return it->second;
            }) {
    AddBucket("src", "alice");
    AddBucket("other", "bob");
  }

  void AddBucket(const std::string& name, const std::string& owner,
                 const std::string& policy_json = "") {
    auto b = std::make_shared<policy::BucketAccess>();
    b->name = name;
    b->owner = owner;
    b->acl = policy::PrivateAcl(owner);
    if (!policy_json.empty()) {
      policy::ParseOptions o;
      o.bucket = name;
      auto p = policy::ParsePolicy(policy_json, o);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      b->policy = std::make_shared<const policy::Policy>(std::move(*p));
    }
    buckets_[name] = std::move(b);
    cache_.BucketChanged(name);
  }

  void AddUser(const std::string& key, const std::string& policy_json = "") {
    auto u = std::make_shared<policy::UserAccess>();
    u->name = key;
    u->principal = policy::Principal::User(key, key);
    if (!policy_json.empty()) {
      policy::ParseOptions o;
      o.is_identity_policy = true;
      auto p = policy::ParsePolicy(policy_json, o);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      u->policy = std::make_shared<const policy::Policy>(std::move(*p));
    }
    users_[key] = std::move(u);
    cache_.UserChanged(key);
  }

  FunctionPrincipal Principal(std::string run_as = "") {
    FunctionPrincipal p;
    p.function = "thumbs";
    p.run_as = std::move(run_as);
    p.access = &cache_;
    return p;
  }

  std::map<std::string, std::shared_ptr<const policy::BucketAccess>> buckets_;
  std::map<std::string, std::shared_ptr<const policy::UserAccess>> users_;
  policy::AccessCache cache_;
};

using FunctionAccessTest = Fixture;

TEST_F(FunctionAccessTest, BuiltInReadsOnlyTheEventObjectAndWritesOnlyIntoItsBucket) {
  FunctionPrincipal p = Principal();
  CallAccess call(&p, "src", "in/a.jpg");
  EXPECT_EQ(call.principal_id(), "function:thumbs");
  EXPECT_TRUE(call.Check("s3:GetObject", "src", "in/a.jpg").ok());
  EXPECT_TRUE(call.Check("s3:PutObject", "src", "thumbs/a.jpg").ok());
  EXPECT_TRUE(call.Check("s3:PutObjectTagging", "src", "in/a.jpg").ok());
  EXPECT_TRUE(call.Check("s3:GetObjectTagging", "src", "in/a.jpg").ok());
  EXPECT_TRUE(call.Check("s3:DeleteObject", "src", "thumbs/a.jpg").ok());
  EXPECT_TRUE(call.Check("kumo:PutCatalogAttributes", "src", "in/b.jpg").ok());

  for (auto [action, bucket, key] : {
           std::tuple{"s3:GetObject", "src", "in/b.jpg"},  // another object of the bucket
           std::tuple{"s3:GetObject", "src", "in/a.jpg2"},
           std::tuple{"s3:GetObject", "other", "in/a.jpg"},
           std::tuple{"s3:PutObject", "other", "thumbs/a.jpg"},
           std::tuple{"s3:PutObjectTagging", "other", "x"},
           std::tuple{"s3:GetObjectTagging", "src", "in/b.jpg"},
           std::tuple{"s3:DeleteObject", "other", "in/a.jpg"},
           std::tuple{"kumo:PutCatalogAttributes", "other", "in/a.jpg"},
           std::tuple{"s3:ListBucket", "src", ""},
           std::tuple{"s3:PutObjectAcl", "src", "in/a.jpg"},
       }) {
    Status s = call.Check(action, bucket, key);
    EXPECT_EQ(s.code(), ErrorCode::kAccessDenied) << action << " " << bucket << "/" << key;
  }
  Status s = call.Check("s3:PutObject", "other", "thumbs/a.jpg");
  EXPECT_EQ(s.message(),
            "access denied: function thumbs running as function:thumbs (built-in principal) "
            "may not s3:PutObject on arn:aws:s3:::other/thumbs/a.jpg");
}

TEST_F(FunctionAccessTest, BuiltInPolicyIsAnIdentityPolicyOfTwoStatements) {
  policy::Policy p = BuiltInPolicy("src", "in/a.jpg");
  EXPECT_TRUE(p.is_identity_policy);
  ASSERT_EQ(p.statements.size(), 2u);
  EXPECT_EQ(p.statements[0].resources, std::vector<std::string>{"arn:aws:s3:::src/in/a.jpg"});
  EXPECT_EQ(p.statements[0].actions,
            policy::ActionBit("s3:GetObject") | policy::ActionBit("s3:GetObjectTagging"));
  EXPECT_EQ(p.statements[1].resources, std::vector<std::string>{"arn:aws:s3:::src/*"});
  EXPECT_EQ(p.statements[1].actions, policy::ActionBit("s3:PutObject") |
                                         policy::ActionBit("s3:PutObjectTagging") |
                                         policy::ActionBit("s3:DeleteObject") |
                                         policy::ActionBit("kumo:PutCatalogAttributes"));
}

TEST_F(FunctionAccessTest, BuiltInMatchesAWildcardKeyExactly) {
  FunctionPrincipal p = Principal();
  CallAccess call(&p, "src", "a*?");
  EXPECT_TRUE(call.Check("s3:GetObject", "src", "a*?").ok());
  EXPECT_EQ(call.Check("s3:GetObject", "src", "abcd").code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(call.Check("s3:GetObject", "src", "a*x").code(), ErrorCode::kAccessDenied);
}

TEST_F(FunctionAccessTest, BucketPolicyDenyBindsTheBuiltInPrincipal) {
  AddBucket("src", "alice", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
      "Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::src/locked/*"}]})");
  FunctionPrincipal p = Principal();
  CallAccess call(&p, "src", "in/a.jpg");
  EXPECT_TRUE(call.Check("s3:PutObject", "src", "free/x").ok());
  EXPECT_EQ(call.Check("s3:PutObject", "src", "locked/x").code(), ErrorCode::kAccessDenied);
}

TEST_F(FunctionAccessTest, RunAsRootMayDoAnything) {
  FunctionPrincipal p = Principal(std::string(kRoot));
  CallAccess call(&p, "src", "k");
  EXPECT_EQ(call.principal_id(), kRoot);
  EXPECT_TRUE(call.Check("s3:PutObject", "other", "x").ok());
  EXPECT_TRUE(call.Check("s3:DeleteObject", "other", "x").ok());
  EXPECT_TRUE(call.Check("s3:GetObject", "src", "anything").ok());
}

TEST_F(FunctionAccessTest, RunAsUserHasExactlyTheUsersRights) {
  AddUser("bob");
  FunctionPrincipal p = Principal("bob");
  CallAccess call(&p, "src", "k");
  EXPECT_EQ(call.principal_id(), "bob");
  // bob owns "other", not "src".
  EXPECT_TRUE(call.Check("s3:PutObject", "other", "x").ok());
  EXPECT_TRUE(call.Check("s3:DeleteObject", "other", "x").ok());
  Status s = call.Check("s3:GetObject", "src", "k");
  EXPECT_EQ(s.code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(s.message(),
            "access denied: function thumbs running as bob may not s3:GetObject on "
            "arn:aws:s3:::src/k");
}

TEST_F(FunctionAccessTest, RunAsUserGainsWhatABucketPolicyGrants) {
  AddUser("carol");
  AddBucket("src", "alice", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"AWS":"arn:aws:iam::000000000000:user/carol"},"Action":"s3:PutObject",
      "Resource":"arn:aws:s3:::src/out/*"}]})");
  FunctionPrincipal p = Principal("carol");
  CallAccess call(&p, "src", "k");
  EXPECT_TRUE(call.Check("s3:PutObject", "src", "out/x").ok());
  EXPECT_EQ(call.Check("s3:PutObject", "src", "in/x").code(), ErrorCode::kAccessDenied);
}

TEST_F(FunctionAccessTest, RunAsUserWithAnIdentityPolicy) {
  AddUser("dave", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::src/*"}]})");
  FunctionPrincipal p = Principal("dave");
  CallAccess call(&p, "src", "k");
  EXPECT_TRUE(call.Check("s3:GetObject", "src", "any").ok());
  EXPECT_EQ(call.Check("s3:PutObjectTagging", "src", "any").code(), ErrorCode::kAccessDenied);
}

TEST_F(FunctionAccessTest, UnknownRunAsUserIsDeniedEverything) {
  FunctionPrincipal p = Principal("nobody");
  CallAccess call(&p, "src", "k");
  Status s = call.Check("s3:GetObject", "src", "k");
  EXPECT_EQ(s.code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(s.message(),
            "access denied: function thumbs running as nobody: no such user (run_as names no "
            "access key of this server)");
}

TEST_F(FunctionAccessTest, AUserCreatedLaterIsFoundByTheNextCall) {
  FunctionPrincipal p = Principal("erin");
  EXPECT_EQ(CallAccess(&p, "src", "k").Check("s3:PutObject", "mine", "x").code(),
            ErrorCode::kAccessDenied);
  AddUser("erin");
  AddBucket("mine", "erin");
  EXPECT_TRUE(CallAccess(&p, "src", "k").Check("s3:PutObject", "mine", "x").ok());
}

TEST_F(FunctionAccessTest, AMissingBucketIsLeftToTheOperation) {
  FunctionPrincipal p = Principal();
  CallAccess call(&p, "src", "k");
  EXPECT_TRUE(call.Check("s3:PutObject", "nosuchbucket", "x").ok());
}

TEST_F(FunctionAccessTest, WithoutAccessControlEverythingIsDenied) {
  FunctionPrincipal p = Principal(std::string(kRoot));
  p.access = nullptr;
  CallAccess call(&p, "src", "k");
  EXPECT_EQ(call.Check("s3:GetObject", "src", "k").code(), ErrorCode::kAccessDenied);
}

}  // namespace
}  // namespace kumo::events
