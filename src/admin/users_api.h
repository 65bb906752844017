// The users of the admin API:
//   GET    /_kumo/admin/users                  -> {"users":[{"access_key", "created", "policy":
//   bool}]} PUT    /_kumo/admin/users/<name>           -> {"access_key", "secret_key"} (generated,
//          returned once); optional body {"policy": <identity policy document>}
//   DELETE /_kumo/admin/users/<name>
//   GET    /_kumo/admin/users/<name>/policy    -> {"user", "policy": <document> | null}
//   PUT    /_kumo/admin/users/<name>/policy    body: the identity policy document
//   DELETE /_kumo/admin/users/<name>/policy
// A user's name is its access key and its canonical id: 1 to 64 characters of
// [A-Za-z0-9+=,.@_-] (IAM's user name alphabet). Policies are validated by the policy
// parser (400 MalformedPolicy names the part that is wrong). Every change is followed by
// AccessCache::UserChanged. Thread-safe.
#pragma once

#include <string_view>

#include "common/http_request.h"
#include "policy/access_cache.h"
#include "s3/response.h"
#include "storage/store.h"

namespace kumo::admin {

// rest: the path after /_kumo/admin/users.
s3::Response HandleUsers(storage::Store* store, policy::AccessCache* access,
                         const HttpRequest& request, std::string_view rest);

// Whether name is a valid user name (see above).
bool IsValidUserName(std::string_view name);

}  // namespace kumo::admin
