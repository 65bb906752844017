// The canned identity policies a user can be given by name, as MinIO and Garage offer:
//   readwrite  every s3: action on every bucket and object (not kumo:Admin)
//   readonly   list buckets and objects, read objects, their versions, tags and ACLs
//   writeonly  upload objects (PutObject, multipart) and nothing else
// Parsed once, on first use, by the same parser as any policy. Thread-safe.
#pragma once

#include <string_view>

#include "policy/policy_document.h"

namespace kumo::policy {

// The JSON text of a canned policy, or an empty view for an unknown name.
std::string_view CannedUserPolicyJson(std::string_view name);

// The parsed canned policy (an identity policy), or nullptr for an unknown name. The
// policy lives as long as the process.
const Policy* CannedUserPolicy(std::string_view name);

}  // namespace kumo::policy
