#include "s3/access_config_xml.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

using policy::ObjectOwnership;
using policy::PublicAccessBlock;

constexpr std::string_view kNs = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";

std::string Controls(std::string_view rules) {
  return std::string("<OwnershipControls")
      .append(kNs)
      .append(">")
      .append(rules)
      .append("</OwnershipControls>");
}

std::string Rule(std::string_view value) {
  return std::string("<Rule><ObjectOwnership>").append(value).append("</ObjectOwnership></Rule>");
}

TEST(OwnershipControlsXmlTest, ParsesEachValue) {
  for (auto o : {ObjectOwnership::kBucketOwnerEnforced, ObjectOwnership::kBucketOwnerPreferred,
                 ObjectOwnership::kObjectWriter}) {
    auto parsed = ParseOwnershipControlsXml(Controls(Rule(policy::OwnershipName(o))));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, o);
  }
}

TEST(OwnershipControlsXmlTest, NamespaceAndWhitespaceAreOptional) {
  auto parsed = ParseOwnershipControlsXml(
      "<?xml version=\"1.0\"?>\n<OwnershipControls>\n  <Rule>\n    "
      "<ObjectOwnership>ObjectWriter</ObjectOwnership>\n  </Rule>\n</OwnershipControls>\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, ObjectOwnership::kObjectWriter);
}

TEST(OwnershipControlsXmlTest, RoundTrips) {
  std::string xml = RenderOwnershipControlsXml(ObjectOwnership::kBucketOwnerPreferred);
  EXPECT_NE(xml.find(kNs), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule>"),
            std::string::npos)
      << xml;
  auto parsed = ParseOwnershipControlsXml(xml);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, ObjectOwnership::kBucketOwnerPreferred);
}

TEST(OwnershipControlsXmlTest, RefusesWhatS3Refuses) {
  const std::string kBad[] = {
      "",
      "not xml",
      "<OwnershipControls>",                                  // not well-formed
      Controls(""),                                           // no Rule
      Controls("<Rule></Rule>"),                              // Rule without ObjectOwnership
      Controls(Rule("ObjectWriter") + Rule("ObjectWriter")),  // two rules
      Controls(Rule("Owner")),                                // unknown value
      Controls(Rule("objectwriter")),                         // values are case-sensitive
      Controls(Rule("")),
      Controls("<Rule><ObjectOwnership>ObjectWriter</ObjectOwnership>"
               "<ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"),
      Controls("<Rule><ObjectOwnership><X/></ObjectOwnership></Rule>"),
      Controls("<Rule><Other>ObjectWriter</Other></Rule>"),
      Controls(Rule("ObjectWriter") + "<Other/>"),
      "<Controls>" + Rule("ObjectWriter") + "</Controls>",  // wrong root
      Controls(Rule("ObjectWriter") + "<!-- \xc3 -->"),     // not UTF-8
  };
  for (const std::string& body : kBad) {
    auto parsed = ParseOwnershipControlsXml(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_TRUE(parsed.status().Is(ErrorCode::kMalformedXML))
        << body << ": " << parsed.status().ToString();
  }
}

TEST(OwnershipControlsTest, BucketOwnerEnforcedNeedsAPrivateBucketAcl) {
  EXPECT_TRUE(AclAllowsBucketOwnerEnforced(policy::PrivateAcl("alice")));
  EXPECT_TRUE(AclAllowsBucketOwnerEnforced({"alice", {}}));
  auto canned = policy::CannedAcl("bucket-owner-full-control", "alice", "alice");
  ASSERT_TRUE(canned.ok()) << canned.status().ToString();
  EXPECT_TRUE(AclAllowsBucketOwnerEnforced(*canned));
  for (const char* name : {"public-read", "public-read-write", "authenticated-read"}) {
    auto acl = policy::CannedAcl(name, "alice", "alice");
    ASSERT_TRUE(acl.ok()) << name << ": " << acl.status().ToString();
    EXPECT_FALSE(AclAllowsBucketOwnerEnforced(*acl)) << name;
  }
  policy::Acl to_bob = policy::PrivateAcl("alice");
  to_bob.grants.push_back(
      {policy::GranteeType::kCanonicalUser, "bob", policy::AclPermission::kRead});
  EXPECT_FALSE(AclAllowsBucketOwnerEnforced(to_bob));
}

std::string Block(std::string_view switches) {
  return std::string("<PublicAccessBlockConfiguration")
      .append(kNs)
      .append(">")
      .append(switches)
      .append("</PublicAccessBlockConfiguration>");
}

TEST(PublicAccessBlockXmlTest, AbsentSwitchesAreFalse) {
  auto parsed = ParsePublicAccessBlockXml(Block(""));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, PublicAccessBlock{});

  parsed = ParsePublicAccessBlockXml(
      Block("<BlockPublicPolicy>true</BlockPublicPolicy><IgnorePublicAcls>false</"
            "IgnorePublicAcls>"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  PublicAccessBlock want;
  want.block_public_policy = true;
  EXPECT_EQ(*parsed, want);
}

TEST(PublicAccessBlockXmlTest, RoundTripsEverySwitch) {
  for (int bits = 0; bits < 16; ++bits) {
    PublicAccessBlock b;
    b.block_public_acls = (bits & 1) != 0;
    b.ignore_public_acls = (bits & 2) != 0;
    b.block_public_policy = (bits & 4) != 0;
    b.restrict_public_buckets = (bits & 8) != 0;
    std::string xml = RenderPublicAccessBlockXml(b);
    auto parsed = ParsePublicAccessBlockXml(xml);
    ASSERT_TRUE(parsed.ok()) << xml << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, b) << xml;
  }
  std::string xml = RenderPublicAccessBlockXml({true, false, true, false});
  EXPECT_NE(xml.find("<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</"
                     "IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>"
                     "<RestrictPublicBuckets>false</RestrictPublicBuckets>"),
            std::string::npos)
      << xml;
}

TEST(PublicAccessBlockXmlTest, RefusesWhatS3Refuses) {
  const std::string kBad[] = {
      "",
      "<PublicAccessBlockConfiguration>",
      Block("<BlockPublicAcls>yes</BlockPublicAcls>"),
      Block("<BlockPublicAcls>TRUE</BlockPublicAcls>"),
      Block("<BlockPublicAcls>1</BlockPublicAcls>"),
      Block("<BlockPublicAcls></BlockPublicAcls>"),
      Block("<BlockPublicAcls>true</BlockPublicAcls><BlockPublicAcls>true</BlockPublicAcls>"),
      Block("<BlockPublicAcls><X/></BlockPublicAcls>"),
      Block("<BlockEverything>true</BlockEverything>"),
      "<PublicAccessBlock><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlock>",
      Block("<!-- \xff -->"),  // not UTF-8
  };
  for (const std::string& body : kBad) {
    auto parsed = ParsePublicAccessBlockXml(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_TRUE(parsed.status().Is(ErrorCode::kMalformedXML))
        << body << ": " << parsed.status().ToString();
  }
}

TEST(PolicyStatusXmlTest, Renders) {
  std::string yes = RenderPolicyStatusXml(true), no = RenderPolicyStatusXml(false);
  EXPECT_NE(yes.find(std::string("<PolicyStatus").append(kNs).append("><IsPublic>true</IsPublic>")),
            std::string::npos)
      << yes;
  EXPECT_NE(no.find("<IsPublic>false</IsPublic>"), std::string::npos) << no;
}

}  // namespace
}  // namespace kumo::s3
