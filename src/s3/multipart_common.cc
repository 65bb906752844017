#include "s3/multipart_common.h"

#include <charconv>

namespace kumo::s3 {

Result<int> QueryInt(const RequestContext& ctx, std::string_view name, int fallback, int min,
                     int max) {
  const std::string* v = ctx.Query(name);
  if (v == nullptr) return fallback;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < min || n > max) {
    return Status(ErrorCode::kInvalidArgument,
                  "Argument " + std::string(name) + " must be an integer between " +
                      std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

}  // namespace kumo::s3
