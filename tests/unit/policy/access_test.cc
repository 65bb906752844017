// The access decision: owners, identity and bucket policies, ACLs and the public access
// block, combined as S3 combines them.
#include "policy/access.h"

#include <gtest/gtest.h>

#include <memory>

namespace kumo::policy {
namespace {

std::shared_ptr<const Policy> Parse(const char* json, bool identity, std::string_view bucket = "") {
  ParseOptions options;
  options.is_identity_policy = identity;
  options.bucket = bucket;
  auto p = ParsePolicy(json, options);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::make_shared<const Policy>(p.ok() ? std::move(*p) : Policy{});
}

UserAccess User(std::string name, std::shared_ptr<const Policy> policy = nullptr) {
  UserAccess u;
  u.principal = Principal::User(name, name);
  u.name = std::move(name);
  u.policy = std::move(policy);
  return u;
}

BucketAccess Bucket(std::string owner) {
  BucketAccess b;
  b.name = "photos";
  b.acl = PrivateAcl(owner);
  b.owner = std::move(owner);
  return b;
}

Decision Ask(const UserAccess* user, std::string_view action, std::string_view resource,
             const BucketAccess* bucket, std::shared_ptr<const ObjectAccess> object = nullptr) {
  AccessRequest r;
  r.user = user;
  r.action = action;
  r.resource = resource;
  r.bucket = bucket;
  r.conditions = [](RequestContext* c) { c->Set("aws:SourceIp", "192.0.2.7"); };
  r.object = [object] { return object; };
  return Decide(r);
}

constexpr std::string_view kObject = "arn:aws:s3:::photos/a.jpg";
constexpr std::string_view kBucketArn = "arn:aws:s3:::photos";

TEST(DecideTest, TheOwnerMayDoEverythingOthersNothing) {
  BucketAccess b = Bucket("alice");
  UserAccess alice = User("alice"), bob = User("bob");
  EXPECT_EQ(Ask(&alice, "s3:GetObject", kObject, &b), Decision::kAllow);
  EXPECT_EQ(Ask(&alice, "s3:PutBucketPolicy", kBucketArn, &b), Decision::kAllow);
  EXPECT_EQ(Ask(&bob, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
}

TEST(DecideTest, UsersWithoutAPolicyMayCreateAndListBucketsUsersWithOneOnlyIfItSays) {
  UserAccess plain = User("plain");
  EXPECT_EQ(Ask(&plain, "s3:CreateBucket", "arn:aws:s3:::new", nullptr), Decision::kAllow);
  EXPECT_EQ(Ask(&plain, "s3:ListAllMyBuckets", "*", nullptr), Decision::kAllow);
  UserAccess device = User("device", Parse(R"({"Statement":[{"Effect":"Allow",
      "Action":"s3:PutObject","Resource":"arn:aws:s3:::photos/*"}]})",
                                           true));
  EXPECT_EQ(Ask(&device, "s3:CreateBucket", "arn:aws:s3:::new", nullptr), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:ListAllMyBuckets", "*", nullptr), Decision::kImplicitDeny);
  BucketAccess b = Bucket("alice");
  EXPECT_EQ(Ask(&device, "s3:PutObject", kObject, &b), Decision::kAllow);
  EXPECT_EQ(Ask(&device, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
}

TEST(DecideTest, BucketPolicyAllowsNamedUsersAndAnonymousAndItsDenyBindsTheOwner) {
  BucketAccess b = Bucket("alice");
  b.policy = Parse(R"({"Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
       "Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"},
      {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::photos/public/*"},
      {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::photos/*",
       "Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]})",
                   false, "photos");
  UserAccess alice = User("alice"), bob = User("bob"), carol = User("carol");
  EXPECT_EQ(Ask(&bob, "s3:GetObject", kObject, &b), Decision::kAllow);
  EXPECT_EQ(Ask(&carol, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", "arn:aws:s3:::photos/public/x", &b), Decision::kAllow);
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(&alice, "s3:PutObject", kObject, &b), Decision::kExplicitDeny);
}

TEST(DecideTest, RestrictPublicBucketsKeepsAnonymousOutOfAPublicPolicy) {
  BucketAccess b = Bucket("alice");
  b.policy = Parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                        "Resource":"arn:aws:s3:::photos/*"}]})",
                   false, "photos");
  b.policy_is_public = IsPublicPolicy(*b.policy);
  ASSERT_TRUE(b.policy_is_public);
  b.block.restrict_public_buckets = true;
  UserAccess bob = User("bob");
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", kObject, &b), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(&bob, "s3:GetObject", kObject, &b), Decision::kAllow);
}

TEST(DecideTest, IdentityDenyWinsOverBucketAllow) {
  BucketAccess b = Bucket("alice");
  b.policy = Parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*",
                        "Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]}]})",
                   false, "photos");
  UserAccess bob = User("bob", Parse(R"({"Statement":[{"Effect":"Deny","Action":"s3:DeleteObject",
                        "Resource":"*"}]})",
                                     true));
  EXPECT_EQ(Ask(&bob, "s3:GetObject", kObject, &b), Decision::kAllow);
  EXPECT_EQ(Ask(&bob, "s3:DeleteObject", kObject, &b), Decision::kExplicitDeny);
}

TEST(DecideTest, AclsCountOnlyWhenEnabledAndPublicGrantsCanBeIgnored) {
  BucketAccess b = Bucket("alice");
  b.acl = *CannedAcl("public-read", "alice", "alice");
  UserAccess bob = User("bob");
  // BucketOwnerEnforced: ACLs are off.
  b.ownership = ObjectOwnership::kBucketOwnerEnforced;
  EXPECT_EQ(Ask(nullptr, "s3:ListBucket", kBucketArn, &b), Decision::kImplicitDeny);
  b.ownership = ObjectOwnership::kObjectWriter;
  EXPECT_EQ(Ask(nullptr, "s3:ListBucket", kBucketArn, &b), Decision::kAllow);
  EXPECT_EQ(Ask(nullptr, "s3:PutObject", kObject, &b), Decision::kImplicitDeny);
  b.block.ignore_public_acls = true;
  EXPECT_EQ(Ask(nullptr, "s3:ListBucket", kBucketArn, &b), Decision::kImplicitDeny);

  b.block.ignore_public_acls = false;
  auto object = std::make_shared<ObjectAccess>();
  object->acl = PrivateAcl("alice");
  object->acl.grants.push_back({GranteeType::kCanonicalUser, "bob", AclPermission::kRead});
  EXPECT_EQ(Ask(&bob, "s3:GetObject", kObject, &b, object), Decision::kAllow);
  EXPECT_EQ(Ask(&bob, "s3:GetObjectAcl", kObject, &b, object), Decision::kImplicitDeny);
  EXPECT_EQ(Ask(nullptr, "s3:GetObject", kObject, &b, object), Decision::kImplicitDeny);
}

TEST(DecideTest, PublicPolicyDetection) {
  auto pinned = Parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::photos/*",
      "Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}]})",
                      false, "photos");
  EXPECT_FALSE(IsPublicPolicy(*pinned));
  auto wide = Parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::photos/*",
      "Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]})",
                    false, "photos");
  EXPECT_TRUE(IsPublicPolicy(*wide));
  auto named = Parse(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]})",
                     false, "photos");
  EXPECT_FALSE(IsPublicPolicy(*named));
  auto deny = Parse(R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::photos/*"}]})",
                    false, "photos");
  EXPECT_FALSE(IsPublicPolicy(*deny));
}

TEST(ContextKeysTest, APolicyReadsOnlyTheKeysOfItsConditions) {
  auto plain = Parse(R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                          "Resource":"*"}]})",
                     true);
  EXPECT_FALSE(ContextKeysOf(*plain).needed);
  auto conditioned = Parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"s3:GetObject","Resource":"*","Condition":{
      "IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"},
      "NotIpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}]})",
                           true);
  ContextKeys keys = ContextKeysOf(*conditioned);
  EXPECT_TRUE(keys.needed);
  EXPECT_FALSE(keys.all);
  EXPECT_EQ(keys.keys.size(), 2u);  // each key once
  auto variables = Parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]})",
                         true);
  EXPECT_TRUE(ContextKeysOf(*variables).all);

  RequestContext context;
  context.Restrict(&keys, nullptr);
  EXPECT_TRUE(context.Wants("AWS:SourceIP"));
  EXPECT_FALSE(context.Wants("aws:UserAgent"));
  context.Set("aws:UserAgent", "curl");
  context.Set("aws:SourceIp", "10.0.0.1");
  EXPECT_EQ(context.Find("aws:useragent"), nullptr);
  ASSERT_NE(context.Find("aws:sourceip"), nullptr);
  // A restricted context still decides the policy exactly as a full one would.
  UserAccess u = User("u", conditioned);
  u.policy_context_keys = keys;
  AccessRequest r;
  r.user = &u;
  r.action = "s3:GetObject";
  r.resource = kObject;
  r.conditions = [](RequestContext* c) {
    c->Set("aws:SourceIp", "10.2.0.1");
    c->Set("aws:SecureTransport", "true");
  };
  EXPECT_EQ(Decide(r), Decision::kAllow);
  r.conditions = [](RequestContext* c) {
    c->Set("aws:SourceIp", "10.1.0.1");
    c->Set("aws:SecureTransport", "true");
  };
  EXPECT_EQ(Decide(r), Decision::kImplicitDeny);
}

TEST(AclTest, CannedAclsAndTheStoredFormRoundTrip) {
  for (const char* name :
       {"private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read",
        "bucket-owner-full-control", "log-delivery-write"}) {
    auto acl = CannedAcl(name, "bob", "alice");
    ASSERT_TRUE(acl.ok()) << name;
    auto back = DecodeAcl(EncodeAcl(*acl));
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, *acl) << name;
  }
  EXPECT_TRUE(CannedAcl("public", "bob", "alice").status().Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(IsPublicAcl(*CannedAcl("authenticated-read", "bob", "alice")));
  EXPECT_FALSE(IsPublicAcl(*CannedAcl("bucket-owner-full-control", "bob", "alice")));
  EXPECT_FALSE(DecodeAcl("").has_value());
  EXPECT_FALSE(DecodeAcl("Oalice").has_value());
  EXPECT_FALSE(DecodeAcl("Oalice\nX0bob\n").has_value());
  EXPECT_FALSE(DecodeAcl("Oalice\nU9bob\n").has_value());
  auto authenticated = *CannedAcl("authenticated-read", "alice", "alice");
  EXPECT_TRUE(AclAllows(authenticated, "bob", AclPermission::kRead, false));
  EXPECT_FALSE(AclAllows(authenticated, "", AclPermission::kRead, false));
  EXPECT_FALSE(AclAllows(authenticated, "bob", AclPermission::kWrite, false));
}

}  // namespace
}  // namespace kumo::policy
