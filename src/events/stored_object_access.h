// What a stored object contributes to an access decision (policy/access.h): its ACL and
// its tags (s3:ExistingObjectTag/<key>). Shared by the S3 authorize stage and the function
// host, which decide the same way. Thread-safe (reads the store).
#pragma once

#include <memory>
#include <string_view>

#include "policy/access.h"
#include "storage/store.h"

namespace kumo::events {

// The object's ACL (its owner's full control when none is stored); null when the object
// does not exist or cannot be read.
std::shared_ptr<const policy::ObjectAccess> LoadObjectAccess(storage::Store* store,
                                                             std::string_view bucket,
                                                             std::string_view key);

// Adds s3:ExistingObjectTag/<k> = v for each of the object's tags (none when it does not
// exist).
void AddExistingObjectTags(storage::Store* store, std::string_view bucket, std::string_view key,
                           policy::RequestContext* out);

}  // namespace kumo::events
