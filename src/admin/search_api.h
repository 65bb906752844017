// The catalog's query endpoints, open to every authenticated caller (not only admins):
//   GET  /_kumo/search?bucket=&prefix=&type=&where=...  -> {"results": [...], "next"}
//   POST /_kumo/sql (body: one SELECT)                  -> {"columns", "rows", "truncated"}
// Results only come from buckets the caller may list: root sees every bucket, a user
// those where policy::Decide allows s3:ListBucket (identity policy, bucket policy, ACLs,
// as an S3 ListObjects would decide). /_kumo/sql is for root and for users whose identity
// policy allows kumo:CatalogSql; others get 403 AccessDenied. Errors are JSON
// {"error": S3 code, "message"}: InvalidArgument 400, AccessDenied 403,
// ServiceUnavailable 503 when kumod runs without a catalog.
// Thread safety: the functions are thread-safe (each query opens its own connection).
#pragma once

#include <string>
#include <string_view>

#include "catalog/search.h"
#include "common/http_request.h"
#include "policy/access_cache.h"
#include "s3/response.h"

namespace kumo::admin {

inline constexpr std::string_view kSearchPath = "/_kumo/search";
inline constexpr std::string_view kSqlPath = "/_kumo/sql";

// Serves a request for kSearchPath or kSqlPath from an authenticated caller (access_key
// already verified). catalog_db: the catalog database file; empty when the catalog is
// disabled.
s3::Response HandleCatalogQuery(const std::string& catalog_db, policy::AccessCache* access,
                                std::string_view access_key, const HttpRequest& request);

// Whether the caller may see a bucket's objects (an empty function for root: all).
// A bucket that no longer exists is invisible to users.
catalog::BucketVisible VisibilityFor(policy::AccessCache* access, std::string_view access_key,
                                     const HttpRequest& request);

}  // namespace kumo::admin
