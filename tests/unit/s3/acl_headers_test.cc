#include "s3/acl_headers.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

using policy::AclPermission;
using policy::GranteeType;

HttpRequest Headers(StringPairs headers) {
  HttpRequest http;
  http.method = "PUT";
  http.headers = std::move(headers);
  return http;
}

void ExpectError(StringPairs headers, ErrorCode code, std::string_view message = {}) {
  auto r = AclFromHeaders(Headers(headers));
  ASSERT_FALSE(r.ok()) << headers.front().second;
  EXPECT_TRUE(r.status().Is(code)) << headers.front().second << ": " << r.status().ToString();
  if (!message.empty()) {
    EXPECT_EQ(r.status().message(), message);
  }
}

TEST(AclFromHeadersTest, NoAclHeadersAskForNothing) {
  auto r = AclFromHeaders(Headers({{"content-type", "text/plain"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->has_value());
}

TEST(AclFromHeadersTest, CannedAclResolvesForOwnerAndBucketOwner) {
  auto r = AclFromHeaders(Headers({{"x-amz-acl", "public-read"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  policy::Acl acl = (*r)->Resolve("bob", "alice");
  EXPECT_EQ(acl.owner, "bob");
  ASSERT_EQ(acl.grants.size(), 2u);
  EXPECT_EQ(acl.grants[0],
            (policy::Grant{GranteeType::kCanonicalUser, "bob", AclPermission::kFullControl}));
  EXPECT_EQ(acl.grants[1], (policy::Grant{GranteeType::kAllUsers, "", AclPermission::kRead}));

  r = AclFromHeaders(Headers({{"x-amz-acl", "bucket-owner-full-control"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  acl = (*r)->Resolve("bob", "alice");
  ASSERT_EQ(acl.grants.size(), 2u);
  EXPECT_EQ(acl.grants[1],
            (policy::Grant{GranteeType::kCanonicalUser, "alice", AclPermission::kFullControl}));
}

TEST(AclFromHeadersTest, GrantHeadersAddToTheOwnersFullControl) {
  auto r = AclFromHeaders(Headers({
      {"x-amz-grant-read", "id=\"carol\", uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""},
      {"x-amz-grant-write-acp", "id=dave"},
      {"x-amz-grant-full-control", "id=\"bob\""},
  }));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->canned.empty());
  policy::Acl acl = (*r)->Resolve("bob", "alice");
  // The owner's own FULL_CONTROL is not repeated.
  ASSERT_EQ(acl.grants.size(), 4u);
  EXPECT_EQ(acl.grants[0],
            (policy::Grant{GranteeType::kCanonicalUser, "bob", AclPermission::kFullControl}));
  EXPECT_EQ(acl.grants[1],
            (policy::Grant{GranteeType::kCanonicalUser, "carol", AclPermission::kRead}));
  EXPECT_EQ(acl.grants[2], (policy::Grant{GranteeType::kAllUsers, "", AclPermission::kRead}));
  EXPECT_EQ(acl.grants[3],
            (policy::Grant{GranteeType::kCanonicalUser, "dave", AclPermission::kWriteAcp}));
}

TEST(AclFromHeadersTest, RefusesBadInput) {
  ExpectError({{"x-amz-acl", "public"}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-acl", "private"}, {"x-amz-grant-read", "id=bob"}},
              ErrorCode::kInvalidRequest,
              "Specifying both Canned ACLs and Header Grants is not allowed");
  ExpectError({{"x-amz-grant-read", ""}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-read", "bob"}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-read", "id="}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-read", "id=\"bob\",,"}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-read", "name=\"bob\""}}, ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/Everyone\""}},
              ErrorCode::kInvalidArgument);
  ExpectError({{"x-amz-grant-write", "emailAddress=\"bob@example.com\""}},
              ErrorCode::kUnresolvableGrantByEmailAddress);
}

TEST(CannedRequestTest, KnowsTheCannedNames) {
  for (const char* name :
       {"private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read",
        "bucket-owner-full-control", "log-delivery-write"}) {
    EXPECT_TRUE(CannedRequest(name).ok()) << name;
  }
  EXPECT_TRUE(CannedRequest("Private").status().Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(CannedRequest("").status().Is(ErrorCode::kInvalidArgument));
}

TEST(CheckAclAllowedTest, AclsOffTakeOnlyTheOwnersFullControl) {
  policy::BucketAccess bucket;
  bucket.owner = "alice";
  bucket.ownership = policy::ObjectOwnership::kBucketOwnerEnforced;
  EXPECT_TRUE(CheckAclAllowed(bucket, policy::PrivateAcl("alice")).ok());
  // bucket-owner-full-control by another writer.
  auto full = CannedRequest("bucket-owner-full-control");
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(CheckAclAllowed(bucket, full->Resolve("bob", "alice")).ok());
  auto pub = CannedRequest("public-read");
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(CheckAclAllowed(bucket, pub->Resolve("alice", "alice"))
                  .Is(ErrorCode::kAccessControlListNotSupported));
  policy::Acl read = policy::PrivateAcl("alice");
  read.grants.push_back({GranteeType::kCanonicalUser, "bob", AclPermission::kRead});
  EXPECT_TRUE(CheckAclAllowed(bucket, read).Is(ErrorCode::kAccessControlListNotSupported));

  bucket.ownership = policy::ObjectOwnership::kObjectWriter;
  EXPECT_TRUE(CheckAclAllowed(bucket, read).ok());
  EXPECT_TRUE(CheckAclAllowed(bucket, pub->Resolve("alice", "alice")).ok());
}

TEST(CheckAclAllowedTest, BlockPublicAclsRefusesPublicGrants) {
  policy::BucketAccess bucket;
  bucket.owner = "alice";
  bucket.block.block_public_acls = true;
  for (const char* name : {"public-read", "public-read-write", "authenticated-read"}) {
    auto r = CannedRequest(name);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(CheckAclAllowed(bucket, r->Resolve("alice", "alice")).Is(ErrorCode::kAccessDenied))
        << name;
  }
  auto r = CannedRequest("bucket-owner-read");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(CheckAclAllowed(bucket, r->Resolve("bob", "alice")).ok());
}

}  // namespace
}  // namespace kumo::s3
