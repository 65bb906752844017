// Where a bucket's access configuration lives: per-bucket configuration documents in the
// store (Store::PutBucketConfig), read back into policy snapshots by the loaders the
// server hands to the access cache. Thread-safe (the store is).
#pragma once

#include <string_view>

#include "policy/access_cache.h"
#include "storage/store.h"

namespace kumo::s3 {

// The documents' names.
inline constexpr std::string_view kPolicyConfig = "policy";        // the policy's JSON text
inline constexpr std::string_view kAclConfig = "acl";              // EncodeAcl
inline constexpr std::string_view kOwnershipConfig = "ownership";  // OwnershipName
inline constexpr std::string_view kPublicAccessBlockConfig = "public-access-block";

// Loads a bucket's snapshot (null when the bucket does not exist). A bucket without
// ownership controls (created before they existed, or after DeleteBucketOwnershipControls)
// is ObjectWriter, as in S3; CreateBucket always stores them. Errors: kIOError; kCorruption when a
// stored document does not parse.
policy::AccessCache::BucketLoader StoreBucketLoader(storage::Store* store);
// Loads a user's snapshot. Errors: kInvalidAccessKeyId, kIOError, kCorruption.
policy::AccessCache::UserLoader StoreUserLoader(storage::Store* store);

}  // namespace kumo::s3
