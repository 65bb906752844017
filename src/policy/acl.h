// Access control lists, object ownership and the public access block: the S3 access
// models older than policies, kept because clients still send x-amz-acl and read ACLs.
// An Acl is a plain value (owner + grants); its stored form is a short text that only this
// file reads and writes. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::policy {

enum class AclPermission : uint8_t { kRead, kWrite, kReadAcp, kWriteAcp, kFullControl };

enum class GranteeType : uint8_t {
  kCanonicalUser,       // id: the user's canonical id (its access key, as Ceph RGW does)
  kAllUsers,            // http://acs.amazonaws.com/groups/global/AllUsers: anyone, anonymous too
  kAuthenticatedUsers,  // http://acs.amazonaws.com/groups/global/AuthenticatedUsers
  kLogDelivery,         // http://acs.amazonaws.com/groups/s3/LogDelivery (accepted, unused)
};

struct Grant {
  GranteeType type = GranteeType::kCanonicalUser;
  std::string id;  // kCanonicalUser only
  AclPermission permission = AclPermission::kRead;
  bool operator==(const Grant&) const = default;
};

struct Acl {
  std::string owner;  // canonical id
  std::vector<Grant> grants;
  bool operator==(const Acl&) const = default;
};

inline constexpr std::string_view kAllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr std::string_view kAuthenticatedUsersUri =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr std::string_view kLogDeliveryUri =
    "http://acs.amazonaws.com/groups/s3/LogDelivery";

// "READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL".
std::string_view PermissionName(AclPermission p);
std::optional<AclPermission> ParsePermission(std::string_view name);
std::string_view GroupUri(GranteeType type);  // empty for kCanonicalUser
std::optional<GranteeType> GroupFromUri(std::string_view uri);

// The owner's FULL_CONTROL alone: the ACL of everything nobody gave another ACL.
Acl PrivateAcl(std::string owner);

// A canned ACL (x-amz-acl) for a resource owned by owner in a bucket owned by
// bucket_owner. Errors: kInvalidArgument for an unknown name.
Result<Acl> CannedAcl(std::string_view name, std::string owner, std::string_view bucket_owner);

// Whether the ACL grants anything to AllUsers or AuthenticatedUsers (what the public
// access block calls a public ACL).
bool IsPublicAcl(const Acl& acl);

// Whether the ACL gives the requester (empty canonical id: anonymous) the permission;
// FULL_CONTROL implies every permission. ignore_public skips group grants
// (IgnorePublicAcls).
bool AclAllows(const Acl& acl, std::string_view requester, AclPermission needed,
               bool ignore_public);

// The ACL permission an S3 action needs, for a bucket ACL or an object ACL; nullopt when
// ACLs cannot grant the action (e.g. s3:PutBucketPolicy).
std::optional<AclPermission> BucketAclPermissionFor(std::string_view action);
std::optional<AclPermission> ObjectAclPermissionFor(std::string_view action);

// The stored form. DecodeAcl: nullopt when the text is not one EncodeAcl wrote.
std::string EncodeAcl(const Acl& acl);
std::optional<Acl> DecodeAcl(std::string_view text);

// Who owns the objects of a bucket (PutBucketOwnershipControls).
enum class ObjectOwnership : uint8_t {
  kBucketOwnerEnforced,   // ACLs are off; the bucket owner owns every object
  kBucketOwnerPreferred,  // the bucket owner owns objects written with
                          // bucket-owner-full-control; ACLs apply
  kObjectWriter,          // the writer owns the object; ACLs apply
};
std::string_view OwnershipName(ObjectOwnership o);
std::optional<ObjectOwnership> ParseOwnership(std::string_view name);

// PutPublicAccessBlock's four switches.
struct PublicAccessBlock {
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;
  bool operator==(const PublicAccessBlock&) const = default;
};
std::string EncodePublicAccessBlock(const PublicAccessBlock& b);
std::optional<PublicAccessBlock> DecodePublicAccessBlock(std::string_view text);

}  // namespace kumo::policy
