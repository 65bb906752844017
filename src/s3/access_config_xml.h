// The XML documents of a bucket's access configuration: <OwnershipControls>
// (Put/GetBucketOwnershipControls), <PublicAccessBlockConfiguration>
// (Put/GetPublicAccessBlock) and <PolicyStatus> (GetBucketPolicyStatus), and the ACL rule
// of PutBucketOwnershipControls. Exposed so that
// unit tests and fuzzers reach the parsers without a store. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "policy/acl.h"

namespace kumo::s3 {

// Parses <OwnershipControls><Rule><ObjectOwnership>V</ObjectOwnership></Rule>
// </OwnershipControls> (namespace optional), V one of BucketOwnerEnforced,
// BucketOwnerPreferred, ObjectWriter. Errors: kMalformedXML for a document that is not
// well-formed, has no Rule or more than one, an element S3 does not define, or another V.
Result<policy::ObjectOwnership> ParseOwnershipControlsXml(std::string_view body);
// The GetBucketOwnershipControls document, with S3's namespace.
std::string RenderOwnershipControlsXml(policy::ObjectOwnership ownership);
// Whether a bucket with this ACL may switch to BucketOwnerEnforced: S3 refuses it
// (InvalidBucketAclWithObjectOwnership) while the ACL grants anything to anyone but its
// owner (private and bucket-owner-full-control pass).
bool AclAllowsBucketOwnerEnforced(const policy::Acl& bucket_acl);

// Parses <PublicAccessBlockConfiguration> with its four optional switches
// (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets); an absent
// switch is false. Errors: kMalformedXML for a document that is not well-formed, another
// root or child element, a switch given twice, or a value other than true / false.
Result<policy::PublicAccessBlock> ParsePublicAccessBlockXml(std::string_view body);
// The GetPublicAccessBlock document (all four switches), with S3's namespace.
std::string RenderPublicAccessBlockXml(const policy::PublicAccessBlock& block);

// <PolicyStatus><IsPublic>true|false</IsPublic></PolicyStatus>, with S3's namespace.
std::string RenderPolicyStatusXml(bool is_public);

}  // namespace kumo::s3
