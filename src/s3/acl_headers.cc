#include "s3/acl_headers.h"

#include "policy/access_cache.h"

namespace kumo::s3 {

namespace {

struct GrantHeader {
  std::string_view name;
  policy::AclPermission permission;
};
constexpr GrantHeader kGrantHeaders[] = {
    {"x-amz-grant-read", policy::AclPermission::kRead},
    {"x-amz-grant-write", policy::AclPermission::kWrite},
    {"x-amz-grant-read-acp", policy::AclPermission::kReadAcp},
    {"x-amz-grant-write-acp", policy::AclPermission::kWriteAcp},
    {"x-amz-grant-full-control", policy::AclPermission::kFullControl},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status BadGrant(std::string_view header) {
  return {ErrorCode::kInvalidArgument, std::string("Invalid grant in ")
                                           .append(header)
                                           .append(": expected id=\"...\", ")
                                           .append("uri=\"...\" or emailAddress=\"...\"")};
}

// One grantee of a grant header: id="abc", uri="http://...", emailAddress="a@b".
Status ParseGrantee(std::string_view header, std::string_view item, policy::AclPermission p,
                    std::vector<policy::Grant>* out) {
  size_t eq = item.find('=');
  if (eq == std::string_view::npos) return BadGrant(header);
  std::string_view type = Trim(item.substr(0, eq));
  std::string_view value = Trim(item.substr(eq + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.find('"') != std::string_view::npos) return BadGrant(header);
  policy::Grant g;
  g.permission = p;
  if (type == "id") {
    g.type = policy::GranteeType::kCanonicalUser;
    g.id = std::string(value);
  } else if (type == "uri") {
    auto group = policy::GroupFromUri(value);
    if (!group) {
      return {ErrorCode::kInvalidArgument,
              std::string("Invalid group uri: ").append(value.substr(0, 128))};
    }
    g.type = *group;
  } else if (type == "emailAddress") {
    return {ErrorCode::kUnresolvableGrantByEmailAddress,
            "The e-mail address you provided does not match any account on record."};
  } else {
    return BadGrant(header);
  }
  out->push_back(std::move(g));
  return Status::OK();
}

}  // namespace

policy::Acl RequestedAcl::Resolve(const std::string& owner, std::string_view bucket_owner) const {
  if (!canned.empty()) {
    auto acl = policy::CannedAcl(canned, owner, bucket_owner);
    if (acl.ok()) return std::move(*acl);  // canned is a valid name (CannedRequest)
  }
  policy::Acl acl = policy::PrivateAcl(owner);
  for (const policy::Grant& g : grants) {
    if (g == acl.grants.front()) continue;  // the owner's FULL_CONTROL, given again
    acl.grants.push_back(g);
  }
  return acl;
}

Result<RequestedAcl> CannedRequest(std::string_view name) {
  // Validates the name (the owners do not matter for that).
  KUMO_RETURN_IF_ERROR(policy::CannedAcl(name, "", "").status());
  RequestedAcl r;
  r.canned = std::string(name);
  return r;
}

Result<std::optional<RequestedAcl>> AclFromHeaders(const HttpRequest& http) {
  RequestedAcl r;
  bool any_grant = false;
  for (const auto& [name, permission] : kGrantHeaders) {
    const std::string* value = http.Header(name);
    if (value == nullptr) continue;
    any_grant = true;
    std::string_view rest = *value;
    if (Trim(rest).empty()) return BadGrant(name);
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = Trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) return BadGrant(name);
      KUMO_RETURN_IF_ERROR(ParseGrantee(name, item, permission, &r.grants));
    }
  }
  const std::string* canned = http.Header("x-amz-acl");
  if (canned != nullptr && any_grant) {
    return Status(ErrorCode::kInvalidRequest,
                  "Specifying both Canned ACLs and Header Grants is not allowed");
  }
  if (canned != nullptr) {
    KUMO_ASSIGN_OR_RETURN(r, CannedRequest(*canned));
    return std::optional<RequestedAcl>(std::move(r));
  }
  if (!any_grant) return std::optional<RequestedAcl>();
  return std::optional<RequestedAcl>(std::move(r));
}

Result<std::vector<Permission>> WithAclPermission(const RequestContext& ctx,
                                                  Result<std::vector<Permission>> own,
                                                  std::string_view acl_action) {
  if (!own.ok() || own->empty()) return own;
  bool asks = ctx.Header("x-amz-acl") != nullptr;
  for (const auto& h : kGrantHeaders) asks = asks || ctx.Header(h.name) != nullptr;
  if (asks) own->push_back({acl_action, own->front().resource, /*new_object=*/true});
  return own;
}

Status CheckGrantees(const RequestContext& ctx, const policy::Acl& acl) {
  for (const policy::Grant& g : acl.grants) {
    if (g.type != policy::GranteeType::kCanonicalUser) continue;
    if (ctx.options->access->IsRoot(g.id)) continue;
    auto user = ctx.store->GetUser(g.id);
    if (user.ok()) continue;
    if (user.status().code() != ErrorCode::kInvalidAccessKeyId) return user.status();
    return {ErrorCode::kInvalidArgument, "Invalid id"};
  }
  return Status::OK();
}

Status CheckAclAllowed(const policy::BucketAccess& bucket, const policy::Acl& acl) {
  if (!bucket.acls_enabled()) {
    for (const policy::Grant& g : acl.grants) {
      bool owner_full_control = g.type == policy::GranteeType::kCanonicalUser &&
                                g.permission == policy::AclPermission::kFullControl &&
                                (g.id == acl.owner || g.id == bucket.owner);
      if (!owner_full_control) {
        return {ErrorCode::kAccessControlListNotSupported, "The bucket does not allow ACLs"};
      }
    }
  }
  if (bucket.block.block_public_acls && policy::IsPublicAcl(acl)) {
    return {ErrorCode::kAccessDenied, "Access Denied"};
  }
  return Status::OK();
}

Result<NewObjectAcl> AclForNewObject(const RequestContext& ctx,
                                     const std::optional<RequestedAcl>& requested) {
  NewObjectAcl out;
  out.owner = ctx.auth.access_key;
  KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.options->access->Bucket(ctx.bucket));
  if (!bucket) return out;
  // Anonymous writes (a public-read-write bucket) belong to the bucket owner: an object
  // nobody owns could not be read, listed by owner or given an ACL.
  const bool owned_by_bucket =
      out.owner.empty() || !bucket->acls_enabled() ||
      (bucket->ownership == policy::ObjectOwnership::kBucketOwnerPreferred && requested &&
       requested->canned == "bucket-owner-full-control");
  if (owned_by_bucket) out.owner = bucket->owner;
  if (!requested) return out;
  policy::Acl acl = requested->Resolve(out.owner, bucket->owner);
  KUMO_RETURN_IF_ERROR(CheckGrantees(ctx, acl));
  KUMO_RETURN_IF_ERROR(CheckAclAllowed(*bucket, acl));
  // ACLs off: objects carry no ACL of their own (reads show the bucket owner's).
  if (bucket->acls_enabled() && acl != policy::PrivateAcl(out.owner)) {
    out.acl = policy::EncodeAcl(acl);
  }
  return out;
}

}  // namespace kumo::s3
