// Admin views and controls of the object catalog (src/catalog), behind AdminApi's
// authorization (root or kumo:Admin):
//   GET  /_kumo/admin/catalog/status
//        -> {cursor, watermark, lag_events, lag_seconds, objects, db_bytes, db_path,
//            rebuilding, rebuild_scanned, rebuilt (ISO 8601 | null), errors,
//            last_error (string | null)}
//   POST /_kumo/admin/catalog/rebuild -> 202 {"rebuilding": true}; 409 while one runs
// With the catalog disabled (catalog.enabled = false) both answer 503.
// [Threading] thread-safe (stateless over the thread-safe Catalog).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "common/http_request.h"
#include "s3/response.h"

namespace kumo::admin {

// Handles a path under /_kumo/admin/catalog; std::nullopt for any other path. catalog
// may be null (disabled).
std::optional<s3::Response> HandleCatalogApi(catalog::Catalog* catalog, const HttpRequest& request);

// The status document of GET /_kumo/admin/catalog/status.
nlohmann::json CatalogStatusJson(const catalog::CatalogStatus& s, const std::string& db_path);

}  // namespace kumo::admin
