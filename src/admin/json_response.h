// JSON responses of the admin API. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "s3/response.h"

namespace kumo::admin {

inline s3::Response JsonResponse(int status, const nlohmann::json& body) {
  s3::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  // Invalid UTF-8 (a key, a reason from a receiver) becomes U+FFFD instead of throwing.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace kumo::admin
