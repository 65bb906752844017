#include "s3/acl_xml.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

using policy::AclPermission;
using policy::GranteeType;

constexpr const char* kXsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

std::string UserGrant(std::string_view id, std::string_view permission) {
  return std::string("<Grant><Grantee ")
      .append(kXsi)
      .append(" xsi:type=\"CanonicalUser\"><ID>")
      .append(id)
      .append("</ID></Grantee><Permission>")
      .append(permission)
      .append("</Permission></Grant>");
}

std::string GroupGrant(std::string_view uri, std::string_view permission) {
  return std::string("<Grant><Grantee ")
      .append(kXsi)
      .append(" xsi:type=\"Group\"><URI>")
      .append(uri)
      .append("</URI></Grantee><Permission>")
      .append(permission)
      .append("</Permission></Grant>");
}

std::string Doc(std::string_view grants, std::string_view owner = "alice") {
  return std::string(
             "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>")
      .append(owner)
      .append("</ID></Owner><AccessControlList>")
      .append(grants)
      .append("</AccessControlList></AccessControlPolicy>");
}

void ExpectError(std::string_view body, ErrorCode code) {
  auto r = ParseAclXml(body);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_TRUE(r.status().Is(code)) << body << ": " << r.status().ToString();
}

TEST(ParseAclXmlTest, ParsesUsersAndGroups) {
  auto r = ParseAclXml(
      Doc(UserGrant("alice", "FULL_CONTROL") + GroupGrant(policy::kAllUsersUri, "READ") +
          GroupGrant(policy::kAuthenticatedUsersUri, "READ_ACP") + UserGrant("bob", "WRITE_ACP")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->owner, "alice");
  ASSERT_EQ(r->grants.size(), 4u);
  EXPECT_EQ(r->grants[0],
            (policy::Grant{GranteeType::kCanonicalUser, "alice", AclPermission::kFullControl}));
  EXPECT_EQ(r->grants[1], (policy::Grant{GranteeType::kAllUsers, "", AclPermission::kRead}));
  EXPECT_EQ(r->grants[2],
            (policy::Grant{GranteeType::kAuthenticatedUsers, "", AclPermission::kReadAcp}));
  EXPECT_EQ(r->grants[3],
            (policy::Grant{GranteeType::kCanonicalUser, "bob", AclPermission::kWriteAcp}));
}

TEST(ParseAclXmlTest, AcceptsAnyPrefixBoundToTheSchemaInstanceNamespace) {
  std::string body =
      Doc("<Grant><Grantee xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "i:type=\"CanonicalUser\"><ID>bob</ID><DisplayName>Bob</DisplayName></Grantee>"
          "<Permission>READ</Permission></Grant>");
  auto r = ParseAclXml(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->grants.size(), 1u);
  EXPECT_EQ(r->grants[0].id, "bob");
}

TEST(ParseAclXmlTest, AnEmptyListIsAnAclWithoutGrants) {
  auto r = ParseAclXml(Doc(""));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->grants.empty());
}

TEST(ParseAclXmlTest, RefusesMalformedDocuments) {
  ExpectError("", ErrorCode::kMalformedACLError);
  ExpectError("<AccessControlPolicy>", ErrorCode::kMalformedACLError);
  ExpectError("<Tagging/>", ErrorCode::kMalformedACLError);
  ExpectError(std::string("<AccessControlPolicy><Owner><ID>\xff</ID></Owner>"
                          "<AccessControlList/></AccessControlPolicy>"),
              ErrorCode::kMalformedACLError);
  // No owner, no list.
  ExpectError("<AccessControlPolicy><AccessControlList/></AccessControlPolicy>",
              ErrorCode::kMalformedACLError);
  ExpectError("<AccessControlPolicy><Owner><ID>a</ID></Owner></AccessControlPolicy>",
              ErrorCode::kMalformedACLError);
}

TEST(ParseAclXmlTest, RefusesBadGrants) {
  ExpectError(Doc(UserGrant("bob", "READ_WRITE")), ErrorCode::kMalformedACLError);
  ExpectError(Doc(UserGrant("", "READ")), ErrorCode::kMalformedACLError);
  ExpectError(Doc(GroupGrant("http://acs.amazonaws.com/groups/global/Everyone", "READ")),
              ErrorCode::kMalformedACLError);
  // No type, a type without the namespace, an unknown type.
  ExpectError(Doc("<Grant><Grantee><ID>bob</ID></Grantee><Permission>READ</Permission></Grant>"),
              ErrorCode::kMalformedACLError);
  ExpectError(Doc("<Grant><Grantee xsi:type=\"CanonicalUser\"><ID>bob</ID></Grantee>"
                  "<Permission>READ</Permission></Grant>"),
              ErrorCode::kMalformedACLError);
  ExpectError(Doc(std::string("<Grant><Grantee ")
                      .append(kXsi)
                      .append(" xsi:type=\"Robot\"><ID>bob</ID></Grantee>"
                              "<Permission>READ</Permission></Grant>")),
              ErrorCode::kMalformedACLError);
  // A grant without grantee or permission.
  ExpectError(Doc("<Grant><Permission>READ</Permission></Grant>"), ErrorCode::kMalformedACLError);
  ExpectError(Doc(std::string("<Grant><Grantee ")
                      .append(kXsi)
                      .append(" xsi:type=\"CanonicalUser\"><ID>bob</ID></Grantee></Grant>")),
              ErrorCode::kMalformedACLError);
}

TEST(ParseAclXmlTest, EmailGranteesAreUnresolvable) {
  ExpectError(Doc(std::string("<Grant><Grantee ")
                      .append(kXsi)
                      .append(" xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>a@b.example"
                              "</EmailAddress></Grantee><Permission>READ</Permission></Grant>")),
              ErrorCode::kUnresolvableGrantByEmailAddress);
}

TEST(ParseAclXmlTest, AtMostOneHundredGrants) {
  std::string grants;
  for (size_t i = 0; i < kMaxAclGrants; ++i) grants += UserGrant("bob", "READ");
  EXPECT_TRUE(ParseAclXml(Doc(grants)).ok());
  ExpectError(Doc(grants + UserGrant("bob", "READ")), ErrorCode::kMalformedACLError);
}

TEST(RenderAclXmlTest, RendersOwnerAndTypedGrantees) {
  policy::Acl acl = policy::PrivateAcl("alice");
  acl.grants.push_back({GranteeType::kAllUsers, "", AclPermission::kRead});
  std::string xml = RenderAclXml(acl);
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Owner><ID>alice</ID><DisplayName>alice</DisplayName></Owner><AccessControlList>"
            "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:type=\"CanonicalUser\"><ID>alice</ID><DisplayName>alice</DisplayName>"
            "</Grantee><Permission>FULL_CONTROL</Permission></Grant>"
            "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>"
            "</Grantee><Permission>READ</Permission></Grant>"
            "</AccessControlList></AccessControlPolicy>");
  // What is rendered parses back to the same ACL.
  auto back = ParseAclXml(xml);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, acl);
}

}  // namespace
}  // namespace kumo::s3
