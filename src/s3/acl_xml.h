// The AccessControlPolicy document of GetBucketAcl / GetObjectAcl (rendered) and
// PutBucketAcl / PutObjectAcl (parsed): an owner and up to kMaxAclGrants grants, each a
// grantee (xsi:type CanonicalUser with an ID, Group with a URI, AmazonCustomerByEmail
// with an EmailAddress) and a permission. Exposed so that unit tests and fuzzers reach the
// parser without a store. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "policy/acl.h"

namespace kumo::s3 {

// S3 refuses an ACL with more grants than this.
constexpr size_t kMaxAclGrants = 100;

// Parses an AccessControlPolicy. The result's owner is the Owner/ID of the document (the
// caller checks it against the resource's owner); canonical ids are not resolved here.
// Errors: kMalformedACLError for a document that is not well-formed UTF-8 XML, has no
// Owner/ID or AccessControlList, a Grant without Grantee or Permission, an unknown
// permission, grantee type or group URI, a CanonicalUser without ID, or more than
// kMaxAclGrants grants; kUnresolvableGrantByEmailAddress for an AmazonCustomerByEmail
// grantee (Kumo's users have no email addresses).
Result<policy::Acl> ParseAclXml(std::string_view body);

// The AccessControlPolicy S3 returns for acl; display names are the canonical ids.
std::string RenderAclXml(const policy::Acl& acl);

}  // namespace kumo::s3
