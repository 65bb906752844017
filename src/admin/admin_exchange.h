// The /_kumo/ endpoints as a request handler of the transport (common/http_handler.h):
// an exchange reads the (small) body whole, then calls AdminApi::Handle. Admin calls may
// write synced or deliver an event (a dead-letter retry), so they run on the blocking
// pool; the health probe does not, so it answers while the pool is busy.
// [Threading] Thread-safe handler; an exchange is used by one thread at a time.
#pragma once

#include <memory>
#include <string_view>

#include "admin/admin_api.h"
#include "common/http_handler.h"

namespace kumo::admin {

class AdminHandler final : public HttpHandler {
 public:
  explicit AdminHandler(AdminApi* api) : api_(api) {}
  // Whether the path is one of the admin API's (health, metrics, search, sql,
  // /_kumo/admin/...).
  static bool Serves(std::string_view raw_path);
  std::unique_ptr<HttpExchange> Begin(HttpRequest request) override;

 private:
  AdminApi* api_;
};

// The largest body an admin call may carry: a policy document is at most 20 KiB.
inline constexpr size_t kMaxAdminBodyBytes = 64 * 1024;

}  // namespace kumo::admin
