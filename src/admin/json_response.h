// JSON responses of the admin API. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "s3/errors.h"
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

// A failed call as JSON: {"error": <S3 error code>, "message"}, with the code's HTTP
// status (s3/errors.h maps every ErrorCode at one place).
inline s3::Response JsonError(const Status& s) {
  auto info = s3::ErrorInfoFor(s.code());
  return JsonResponse(info.http_status,
                      {{"error", std::string(info.code)}, {"message", s.message()}});
}

}  // namespace kumo::admin
