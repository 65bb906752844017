#include "policy/policy_document.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::policy {
namespace {

ParseOptions ForBucket(std::string_view bucket) {
  ParseOptions o;
  o.bucket = bucket;
  return o;
}

ParseOptions Identity() {
  ParseOptions o;
  o.is_identity_policy = true;
  return o;
}

// A bucket policy with one statement whose body is the given JSON members.
std::string OneStatement(const std::string& members) {
  return std::string(R"({"Version":"2012-10-17","Statement":{)").append(members).append("}}");
}

const std::string kOk = R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                        R"("Resource":"arn:aws:s3:::photos/*")";

// Expects a kMalformedPolicy error whose message contains part.
void ExpectRejected(const std::string& json, std::string_view part,
                    const ParseOptions& options = ForBucket("photos")) {
  Result<Policy> p = ParsePolicy(json, options);
  ASSERT_FALSE(p.ok()) << json;
  EXPECT_EQ(p.status().code(), ErrorCode::kMalformedPolicy);
  EXPECT_NE(p.status().message().find(part), std::string::npos)
      << "message: " << p.status().message() << "\nexpected part: " << part;
}

TEST(ParsePolicyTest, AcceptsATypicalBucketPolicy) {
  const std::string json = R"({
    "Version": "2012-10-17",
    "Id": "PhotosPolicy",
    "Statement": [
      {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
       "Action": ["s3:GetObject", "s3:GetObjectVersion"],
       "Resource": "arn:aws:s3:::photos/public/*"},
      {"Sid": "AliceAll", "Effect": "Allow",
       "Principal": {"AWS": ["arn:aws:iam::000000000000:user/alice", "AKIAEXAMPLE"]},
       "Action": "s3:*", "Resource": ["arn:aws:s3:::photos", "arn:aws:s3:::photos/*"]},
      {"Sid": "TlsOnly", "Effect": "Deny", "Principal": {"AWS": "*"}, "NotAction": "s3:Get*",
       "NotResource": "arn:aws:s3:::photos/inbox/*",
       "Condition": {"Bool": {"aws:SecureTransport": false},
                     "NumericLessThan": {"s3:max-keys": 100},
                     "StringLike": {"s3:prefix": ["a*", "b*"]}}}
    ]
  })";
  Result<Policy> p = ParsePolicy(json, ForBucket("photos"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->statements.size(), 3u);
  EXPECT_EQ(p->version, "2012-10-17");
  EXPECT_EQ(p->id, "PhotosPolicy");
  const Statement& read = p->statements[0];
  EXPECT_EQ(read.sid, "PublicRead");
  EXPECT_EQ(read.effect, Effect::kAllow);
  EXPECT_TRUE(read.principals.any);
  EXPECT_EQ(read.actions, ActionBit("s3:GetObject") | ActionBit("s3:GetObjectVersion"));
  const Statement& alice = p->statements[1];
  ASSERT_EQ(alice.principals.ids.size(), 2u);
  EXPECT_FALSE(alice.principals.any);
  EXPECT_EQ(alice.resources.size(), 2u);
  const Statement& deny = p->statements[2];
  EXPECT_EQ(deny.effect, Effect::kDeny);
  EXPECT_TRUE(deny.principals.any);
  EXPECT_TRUE(deny.not_action);
  EXPECT_TRUE(deny.not_resource);
  ASSERT_EQ(deny.conditions.size(), 3u);
}

TEST(ParsePolicyTest, DefaultsAndAlternatives) {
  Result<Policy> p = ParsePolicy(R"({"Statement":[{)" + kOk + "}]}", ForBucket("photos"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->version, "2008-10-17");
  p = ParsePolicy(R"({"Version":"2008-10-17","Statement":{)" + kOk + "}}");
  ASSERT_TRUE(p.ok()) << p.status().message();
  // Without a bucket, any S3 ARN and "*" are accepted.
  p = ParsePolicy(OneStatement(R"("Effect":"Deny","Principal":"*","Action":"*",)"
                               R"("Resource":["*","arn:aws:s3:::other"])"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->statements[0].actions, ~ActionSet{0});
  // A 12-digit account id is the account's root.
  p = ParsePolicy(OneStatement(R"("Effect":"Allow","Principal":{"AWS":"000000000000"},)"
                               R"("Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos")"),
                  ForBucket("photos"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->statements[0].principals.ids[0], "arn:aws:iam::000000000000:root");
}

TEST(ParsePolicyTest, IdentityPolicies) {
  const std::string json = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                           R"("Action":"s3:*","Resource":"*"}]})";
  Result<Policy> p = ParsePolicy(json, Identity());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->is_identity_policy);
  EXPECT_FALSE(p->statements[0].has_principal);
  ExpectRejected(json, "Missing required field Principal", ParseOptions{});
  ExpectRejected(OneStatement(kOk), "an identity policy has no Principal", Identity());
}

TEST(ParsePolicyTest, RejectsDocumentErrors) {
  ExpectRejected("{", "valid JSON");
  ExpectRejected("", "valid JSON");
  ExpectRejected("[]", "must be a JSON object");
  ExpectRejected(R"({"Version":"2012-10-17"})", "Missing required field Statement");
  ExpectRejected(R"({"Statement":[]})", "Statement must not be empty");
  ExpectRejected(R"({"Statement":"x"})", "Statement must be an object or an array");
  ExpectRejected(R"({"Version":"2020-01-01","Statement":{)" + kOk + "}}", "Invalid Version");
  ExpectRejected(R"({"Version":1,"Statement":{)" + kOk + "}}", "Invalid Version");
  ExpectRejected(R"({"Versions":"2012-10-17","Statement":{)" + kOk + "}}",
                 "Unknown field Versions");
  ExpectRejected(R"({"Statement":[1]})", "Statement 1: a statement must be an object");
  ExpectRejected(std::string(kMaxPolicyBytes + 1, ' '), "larger than 20480 bytes");
  ExpectRejected(R"({"Statement":[{"Sid":"A",)" + kOk + R"(},{"Sid":"A",)" + kOk + "}]}",
                 "Statement 2 (Sid A): Statement IDs (SID) must be unique");
}

TEST(ParsePolicyTest, DeepNestingWithinTheSizeLimitIsAnErrorNotACrash) {
  const int depth = 10000;  // 20000 bytes: just under kMaxPolicyBytes
  ExpectRejected(std::string(depth, '[') + std::string(depth, ']'), "must be a JSON object");
  const std::string deep = OneStatement(kOk + R"(,"Condition":{"StringEquals":{"s3:prefix":)" +
                                        std::string(9000, '[') + std::string(9000, ']') + "}}");
  ExpectRejected(deep, "Condition values must be strings, numbers or booleans");
}

TEST(ParsePolicyTest, RejectsStatementErrors) {
  ExpectRejected(OneStatement(R"("Principal":"*","Action":"s3:GetObject",)"
                              R"("Resource":"arn:aws:s3:::photos/*")"),
                 "Statement 1: Missing required field Effect");
  ExpectRejected(OneStatement(R"("Sid":"X","Effect":"Permit","Principal":"*",)"
                              R"("Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*")"),
                 "Statement 1 (Sid X): Invalid effect");
  ExpectRejected(OneStatement(kOk + R"(,"Effects":"Allow")"), "Unknown field Effects");
  ExpectRejected(OneStatement(kOk + R"(,"Sid":7)"), "Sid must be a string");
  ExpectRejected(OneStatement(kOk + R"(,"NotPrincipal":"*")"),
                 "Principal and NotPrincipal cannot both be present");
  ExpectRejected(OneStatement(kOk + R"(,"NotAction":"s3:PutObject")"),
                 "Action and NotAction cannot both be present");
  ExpectRejected(OneStatement(kOk + R"(,"NotResource":"arn:aws:s3:::photos/a")"),
                 "Resource and NotResource cannot both be present");
  ExpectRejected(OneStatement(R"("Effect":"Allow","Principal":"*","Resource":"*")"),
                 "Missing required field Action");
  ExpectRejected(OneStatement(R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject")"),
                 "Missing required field Resource");
}

TEST(ParsePolicyTest, RejectsBadPrincipals) {
  auto with = [](const std::string& principal) {
    return OneStatement(R"("Effect":"Allow","Principal":)" + principal +
                        R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*")");
  };
  ExpectRejected(with(R"("alice")"), "Invalid principal in policy");
  ExpectRejected(with(R"({})"), "Invalid principal in policy");
  ExpectRejected(with(R"({"Service":"lambda.amazonaws.com"})"),
                 "unsupported principal type Service");
  ExpectRejected(with(R"({"AWS":[]})"), "Principal AWS must be a string or a non-empty array");
  ExpectRejected(with(R"({"AWS":[1]})"), "Principal AWS must hold strings only");
  ExpectRejected(with(R"({"AWS":"arn:aws:s3:::photos"})"), "Invalid principal in policy");
  ExpectRejected(with(R"({"AWS":""})"), "Invalid principal in policy");
}

TEST(ParsePolicyTest, RejectsBadActions) {
  auto with = [](const std::string& action) {
    return OneStatement(R"("Effect":"Allow","Principal":"*","Action":)" + action +
                        R"(,"Resource":"arn:aws:s3:::photos/*")");
  };
  ExpectRejected(with(R"("s3:GetObjects")"), "Policy has invalid action: s3:GetObjects");
  ExpectRejected(with(R"(["s3:GetObject","GetObject"])"), "invalid action: GetObject");
  ExpectRejected(with(R"("iam:*")"), "invalid action: iam:*");
  ExpectRejected(with(R"("s3:Frob*")"), "invalid action: s3:Frob*");
  ExpectRejected(with(R"([])"), "Action must be a string or a non-empty array");
  ExpectRejected(with(R"(5)"), "Action must be a string or a non-empty array");
  // Case-insensitive, like IAM.
  EXPECT_TRUE(ParsePolicy(with(R"("S3:getobject")"), ForBucket("photos")).ok());
  EXPECT_TRUE(ParsePolicy(with(R"("s3:get*")"), ForBucket("photos")).ok());
}

TEST(ParsePolicyTest, RejectsBadResources) {
  auto with = [](const std::string& resource) {
    return OneStatement(R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                        R"("Resource":)" +
                        resource);
  };
  ExpectRejected(with(R"("photos/*")"), "Policy has invalid resource photos/*: expected");
  ExpectRejected(with(R"("arn:aws:s3:::")"), "no bucket name");
  ExpectRejected(with(R"("arn:aws:s3:::/key")"), "no bucket name");
  ExpectRejected(with(R"("arn:aws:ec2:::photos")"), "invalid resource");
  ExpectRejected(with(R"("arn:aws:s3:::videos/*")"), "not within bucket photos");
  ExpectRejected(with(R"("arn:aws:s3:::photosx/*")"), "not within bucket photos");
  ExpectRejected(with(R"("arn:aws:s3:::photos*")"), "not within bucket photos");
  ExpectRejected(with(R"(["arn:aws:s3:::photos","*"])"), "invalid resource *: not within");
  EXPECT_TRUE(ParsePolicy(with(R"("arn:aws:s3:::photos/")"), ForBucket("photos")).ok());
}

TEST(ParsePolicyTest, RejectsActionsThatApplyToNoResource) {
  auto with = [](const std::string& action, const std::string& resource) {
    return OneStatement(R"("Effect":"Allow","Principal":"*","Action":)" + action +
                        R"(,"Resource":)" + resource);
  };
  ExpectRejected(with(R"("s3:GetObject")", R"("arn:aws:s3:::photos")"),
                 "Statement 1: Action does not apply to any resource(s) in statement: "
                 "s3:GetObject");
  ExpectRejected(with(R"(["s3:GetObject","s3:ListBucket"])", R"("arn:aws:s3:::photos/*")"),
                 "in statement: s3:ListBucket");
  ExpectRejected(with(R"("s3:ListAllMyBuckets")", R"("arn:aws:s3:::photos")"),
                 "in statement: s3:ListAllMyBuckets");
  const ParseOptions photos = ForBucket("photos");
  EXPECT_TRUE(ParsePolicy(with(R"(["s3:GetObject","s3:ListBucket"])",
                               R"(["arn:aws:s3:::photos","arn:aws:s3:::photos/*"])"),
                          photos)
                  .ok());
  EXPECT_TRUE(ParsePolicy(with(R"("s3:*")", R"("arn:aws:s3:::photos")"), photos).ok());
  EXPECT_TRUE(ParsePolicy(with(R"("s3:ListBucket")", R"("arn:aws:s3:::photos")"), photos).ok());
  // A wildcard in the bucket part can name a bucket or an object; "*" names anything.
  EXPECT_TRUE(ParsePolicy(with(R"("s3:GetObject")", R"("arn:aws:s3:::ph*")")).ok());
  EXPECT_TRUE(ParsePolicy(with(R"("s3:ListAllMyBuckets")", R"("*")")).ok());
  // NotAction / NotResource are not checked.
  EXPECT_TRUE(ParsePolicy(OneStatement(R"("Effect":"Deny","Principal":"*",)"
                                       R"("NotAction":"s3:GetObject",)"
                                       R"("Resource":"arn:aws:s3:::photos")"),
                          photos)
                  .ok());
}

TEST(ParsePolicyTest, RejectsBadConditions) {
  auto with = [](const std::string& condition) {
    return OneStatement(kOk + R"(,"Condition":)" + condition);
  };
  ExpectRejected(with(R"({"StringEqualz":{"s3:prefix":"a"}})"),
                 "Statement 1: Invalid Condition operator: StringEqualz");
  ExpectRejected(with(R"("x")"), "Condition must be an object");
  ExpectRejected(with(R"({"StringEquals":"a"})"), "must be a non-empty object of keys");
  ExpectRejected(with(R"({"StringEquals":{}})"), "must be a non-empty object of keys");
  ExpectRejected(with(R"({"StringEquals":{"s3:prefix":{"a":1}}})"),
                 "Condition values must be strings, numbers or booleans");
  ExpectRejected(with(R"({"StringEquals":{"s3:prefix":[]}})"), "has no value for s3:prefix");
  ExpectRejected(with(R"({"IpAddress":{"aws:SourceIp":"10.0.0.300"}})"),
                 "Invalid value for Condition IpAddress aws:SourceIp: 10.0.0.300");
  ExpectRejected(with(R"({"DateLessThan":{"aws:CurrentTime":"tomorrow"}})"),
                 "Invalid value for Condition DateLessThan");
}

}  // namespace
}  // namespace kumo::policy
