#include "admin/catalog_api.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "admin/json_response.h"
#include "common/time_util.h"

namespace kumo::admin {
namespace {

constexpr std::string_view kCatalog = "/_kumo/admin/catalog";

s3::Response Error(int status, const std::string& code, const std::string& message) {
  return JsonResponse(status, {{"error", code}, {"message", message}});
}

}  // namespace

nlohmann::json CatalogStatusJson(const catalog::CatalogStatus& s, const std::string& db_path) {
  nlohmann::json j = {
      {"cursor", s.cursor},
      {"watermark", s.watermark},
      {"lag_events", s.lag_events},
      {"lag_seconds", static_cast<double>(s.lag_ms) / 1000.0},
      {"objects", s.objects},
      {"db_bytes", s.db_bytes},
      {"db_path", db_path},
      {"rebuilding", s.rebuilding},
      {"rebuild_scanned", s.rebuild_scanned},
      {"rebuilt", nullptr},
      {"errors", s.errors},
      {"last_error", nullptr},
  };
  if (s.rebuilt_ms > 0) j["rebuilt"] = FormatIso8601Millis(s.rebuilt_ms);
  if (!s.last_error.empty()) j["last_error"] = s.last_error;
  return j;
}

std::optional<s3::Response> HandleCatalogApi(catalog::Catalog* catalog,
                                             const HttpRequest& request) {
  const std::string& path = request.raw_path;
  if (path.rfind(kCatalog, 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(path).substr(kCatalog.size());
  if (rest != "/status" && rest != "/rebuild") {
    return Error(404, "NoSuchResource", "unknown admin path " + path);
  }
  if (catalog == nullptr) {
    return Error(503, "ServiceUnavailable", "the catalog is disabled (catalog.enabled = false)");
  }
  if (rest == "/status") {
    if (request.method != "GET") return Error(405, "MethodNotAllowed", "use GET");
    return JsonResponse(200, CatalogStatusJson(catalog->GetStatus(), catalog->db_path()));
  }
  if (request.method != "POST") return Error(405, "MethodNotAllowed", "use POST");
  Status s = catalog->StartRebuild();
  if (s.Is(ErrorCode::kInvalidRequest)) return Error(409, "RebuildRunning", s.message());
  if (!s.ok()) return Error(503, "ServiceUnavailable", s.message());
  return JsonResponse(202, {{"rebuilding", true}});
}

}  // namespace kumo::admin
