#include "policy/acl.h"

#include <array>

namespace kumo::policy {

namespace {

constexpr std::array<std::string_view, 5> kPermissionNames = {"READ", "WRITE", "READ_ACP",
                                                              "WRITE_ACP", "FULL_CONTROL"};

struct ActionPermission {
  std::string_view action;
  AclPermission permission;
};

// What the S3 documentation's "Mapping of ACL permissions and access policy permissions"
// table gives each permission, for buckets and for objects.
constexpr ActionPermission kBucketActions[] = {
    {"s3:ListBucket", AclPermission::kRead},
    {"s3:ListBucketVersions", AclPermission::kRead},
    {"s3:ListBucketMultipartUploads", AclPermission::kRead},
    {"s3:PutObject", AclPermission::kWrite},
    {"s3:DeleteObject", AclPermission::kWrite},
    {"s3:DeleteObjectVersion", AclPermission::kWrite},
    {"s3:AbortMultipartUpload", AclPermission::kWrite},
    {"s3:ListMultipartUploadParts", AclPermission::kWrite},
    {"s3:GetBucketAcl", AclPermission::kReadAcp},
    {"s3:PutBucketAcl", AclPermission::kWriteAcp},
};
constexpr ActionPermission kObjectActions[] = {
    {"s3:GetObject", AclPermission::kRead},
    {"s3:GetObjectVersion", AclPermission::kRead},
    {"s3:GetObjectAcl", AclPermission::kReadAcp},
    {"s3:PutObjectAcl", AclPermission::kWriteAcp},
};

template <size_t N>
std::optional<AclPermission> Lookup(const ActionPermission (&table)[N], std::string_view action) {
  for (const auto& e : table) {
    if (e.action == action) return e.permission;
  }
  return std::nullopt;
}

char TypeLetter(GranteeType t) {
  switch (t) {
    case GranteeType::kCanonicalUser:
      return 'U';
    case GranteeType::kAllUsers:
      return 'A';
    case GranteeType::kAuthenticatedUsers:
      return 'T';
    case GranteeType::kLogDelivery:
      return 'L';
  }
  return 'U';
}

std::optional<GranteeType> TypeFromLetter(char c) {
  switch (c) {
    case 'U':
      return GranteeType::kCanonicalUser;
    case 'A':
      return GranteeType::kAllUsers;
    case 'T':
      return GranteeType::kAuthenticatedUsers;
    case 'L':
      return GranteeType::kLogDelivery;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::string_view PermissionName(AclPermission p) {
  return kPermissionNames[static_cast<size_t>(p)];
}

std::optional<AclPermission> ParsePermission(std::string_view name) {
  for (size_t i = 0; i < kPermissionNames.size(); ++i) {
    if (kPermissionNames[i] == name) return static_cast<AclPermission>(i);
  }
  return std::nullopt;
}

std::string_view GroupUri(GranteeType type) {
  switch (type) {
    case GranteeType::kAllUsers:
      return kAllUsersUri;
    case GranteeType::kAuthenticatedUsers:
      return kAuthenticatedUsersUri;
    case GranteeType::kLogDelivery:
      return kLogDeliveryUri;
    case GranteeType::kCanonicalUser:
      break;
  }
  return {};
}

std::optional<GranteeType> GroupFromUri(std::string_view uri) {
  if (uri == kAllUsersUri) return GranteeType::kAllUsers;
  if (uri == kAuthenticatedUsersUri) return GranteeType::kAuthenticatedUsers;
  if (uri == kLogDeliveryUri) return GranteeType::kLogDelivery;
  return std::nullopt;
}

Acl PrivateAcl(std::string owner) {
  Acl acl;
  acl.grants.push_back({GranteeType::kCanonicalUser, owner, AclPermission::kFullControl});
  acl.owner = std::move(owner);
  return acl;
}

Result<Acl> CannedAcl(std::string_view name, std::string owner, std::string_view bucket_owner) {
  Acl acl = PrivateAcl(std::move(owner));
  auto add = [&](GranteeType type, AclPermission p) { acl.grants.push_back({type, "", p}); };
  if (name == "private") return acl;
  if (name == "public-read") {
    add(GranteeType::kAllUsers, AclPermission::kRead);
  } else if (name == "public-read-write") {
    add(GranteeType::kAllUsers, AclPermission::kRead);
    add(GranteeType::kAllUsers, AclPermission::kWrite);
  } else if (name == "authenticated-read") {
    add(GranteeType::kAuthenticatedUsers, AclPermission::kRead);
  } else if (name == "bucket-owner-read" || name == "bucket-owner-full-control") {
    if (bucket_owner != acl.owner) {
      acl.grants.push_back(
          {GranteeType::kCanonicalUser, std::string(bucket_owner),
           name == "bucket-owner-read" ? AclPermission::kRead : AclPermission::kFullControl});
    }
  } else if (name == "log-delivery-write") {
    add(GranteeType::kLogDelivery, AclPermission::kWrite);
    add(GranteeType::kLogDelivery, AclPermission::kReadAcp);
  } else {
    return Status(ErrorCode::kInvalidArgument,
                  std::string("Unknown canned ACL: ").append(name.substr(0, 64)));
  }
  return acl;
}

bool IsPublicAcl(const Acl& acl) {
  for (const Grant& g : acl.grants) {
    if (g.type == GranteeType::kAllUsers || g.type == GranteeType::kAuthenticatedUsers) {
      return true;
    }
  }
  return false;
}

bool AclAllows(const Acl& acl, std::string_view requester, AclPermission needed,
               bool ignore_public) {
  for (const Grant& g : acl.grants) {
    if (g.permission != needed && g.permission != AclPermission::kFullControl) continue;
    switch (g.type) {
      case GranteeType::kCanonicalUser:
        if (!requester.empty() && g.id == requester) return true;
        break;
      case GranteeType::kAllUsers:
        if (!ignore_public) return true;
        break;
      case GranteeType::kAuthenticatedUsers:
        if (!ignore_public && !requester.empty()) return true;
        break;
      case GranteeType::kLogDelivery:
        break;
    }
  }
  return false;
}

std::optional<AclPermission> BucketAclPermissionFor(std::string_view action) {
  return Lookup(kBucketActions, action);
}

std::optional<AclPermission> ObjectAclPermissionFor(std::string_view action) {
  return Lookup(kObjectActions, action);
}

// One line per field: "O<owner>", then "<type letter><permission digit><id>" per grant.
// Canonical ids never hold a newline (user names are validated), so lines are safe.
std::string EncodeAcl(const Acl& acl) {
  std::string out = "O";
  out.append(acl.owner).push_back('\n');
  for (const Grant& g : acl.grants) {
    out.push_back(TypeLetter(g.type));
    out.push_back(static_cast<char>('0' + static_cast<int>(g.permission)));
    out.append(g.id).push_back('\n');
  }
  return out;
}

std::optional<Acl> DecodeAcl(std::string_view text) {
  Acl acl;
  bool first = true;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (first) {
      if (line.empty() || line[0] != 'O') return std::nullopt;
      acl.owner = line.substr(1);
      first = false;
      continue;
    }
    if (line.size() < 2) return std::nullopt;
    auto type = TypeFromLetter(line[0]);
    int p = line[1] - '0';
    if (!type || p < 0 || p >= static_cast<int>(kPermissionNames.size())) return std::nullopt;
    acl.grants.push_back({*type, std::string(line.substr(2)), static_cast<AclPermission>(p)});
  }
  if (first) return std::nullopt;
  return acl;
}

std::string_view OwnershipName(ObjectOwnership o) {
  switch (o) {
    case ObjectOwnership::kBucketOwnerEnforced:
      return "BucketOwnerEnforced";
    case ObjectOwnership::kBucketOwnerPreferred:
      return "BucketOwnerPreferred";
    case ObjectOwnership::kObjectWriter:
      return "ObjectWriter";
  }
  return "BucketOwnerEnforced";
}

std::optional<ObjectOwnership> ParseOwnership(std::string_view name) {
  for (auto o : {ObjectOwnership::kBucketOwnerEnforced, ObjectOwnership::kBucketOwnerPreferred,
                 ObjectOwnership::kObjectWriter}) {
    if (OwnershipName(o) == name) return o;
  }
  return std::nullopt;
}

std::string EncodePublicAccessBlock(const PublicAccessBlock& b) {
  std::string out(4, '0');
  if (b.block_public_acls) out[0] = '1';
  if (b.ignore_public_acls) out[1] = '1';
  if (b.block_public_policy) out[2] = '1';
  if (b.restrict_public_buckets) out[3] = '1';
  return out;
}

std::optional<PublicAccessBlock> DecodePublicAccessBlock(std::string_view text) {
  if (text.size() != 4) return std::nullopt;
  for (char c : text) {
    if (c != '0' && c != '1') return std::nullopt;
  }
  PublicAccessBlock b;
  b.block_public_acls = text[0] == '1';
  b.ignore_public_acls = text[1] == '1';
  b.block_public_policy = text[2] == '1';
  b.restrict_public_buckets = text[3] == '1';
  return b;
}

}  // namespace kumo::policy
