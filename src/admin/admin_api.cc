#include "admin/admin_api.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "admin/catalog_api.h"
#include "admin/events_api.h"
#include "admin/handlers_api.h"
#include "admin/json_response.h"
#include "admin/metrics.h"
#include "admin/search_api.h"
#include "admin/users_api.h"
#include "common/hash.h"
#include "common/time_util.h"
#include "s3/errors.h"
#include "s3/service.h"

namespace kumo::admin {

namespace {
constexpr std::string_view kHealth = "/_kumo/health";
constexpr std::string_view kMetrics = "/_kumo/metrics";
constexpr std::string_view kUsers = "/_kumo/admin/users";
constexpr std::string_view kAdmin = "/_kumo/admin/";
constexpr std::string_view kEvents = "/_kumo/admin/events";

}  // namespace

std::string RandomKey(size_t n, bool secret) {
  static constexpr char kUpper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr char kSecret[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n));
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[i] = secret ? kSecret[b % 64] : kUpper[b % 36];
  }
  return out;
}

AdminApi::AdminApi(storage::Store* store, const auth::CredentialLookup* credentials,
                   policy::AccessCache* access)
    : store_(store), credentials_(credentials), access_(access) {}

bool AdminApi::MayAdminister(std::string_view access_key) {
  if (access_->IsRoot(access_key)) return true;
  auto user = access_->User(access_key);
  if (!user.ok() || !*user || !(*user)->policy) return false;
  policy::RequestContext no_conditions;
  return policy::Evaluate({(*user)->policy.get()}, (*user)->principal, "kumo:Admin", "*",
                          no_conditions) == policy::Decision::kAllow;
}

std::optional<s3::Response> AdminApi::Handle(const HttpRequest& request) {
  if (request.raw_path == kHealth) {
    if (request.method != "GET" && request.method != "HEAD") return JsonResponse(405, {});
    bool ready = ready_.load();
    return JsonResponse(ready ? 200 : 503, {{"status", ready ? "ok" : "starting"}});
  }
  if (request.raw_path == kMetrics) {
    if (request.method != "GET" && request.method != "HEAD") return JsonResponse(405, {});
    return MetricsResponse(store_, dispatcher_.load(), catalog_.load());
  }
  const bool catalog_query = request.raw_path == kSearchPath || request.raw_path == kSqlPath;
  if (!catalog_query && request.raw_path.rfind(kAdmin, 0) != 0) return std::nullopt;

  auth::VerifyOptions vo;
  vo.now_unix = NowMillis() / 1000;
  auto ctx = auth::VerifyRequest(request, *credentials_, vo);
  if (!ctx.ok()) return JsonError(ctx.status());
  // The body was read whole before the call (at most 64 KiB): check it against its signed
  // digest here. Streaming (aws-chunked) bodies are not admin calls.
  if (ctx->payload == auth::PayloadMode::kSigned) {
    if (Sha256Hex(request.body) != ctx->expected_payload_sha256) {
      return JsonError({ErrorCode::kXAmzContentSHA256Mismatch,
                        "The provided 'x-amz-content-sha256' header does not match what was "
                        "computed."});
    }
  } else if (ctx->payload != auth::PayloadMode::kUnsigned) {
    return JsonError({ErrorCode::kInvalidRequest, "admin calls take no aws-chunked body"});
  }
  // Open to every authenticated caller; what each sees is filtered by its permissions.
  if (catalog_query) {
    catalog::Catalog* catalog = catalog_.load();
    const std::string& db = !catalog_path_.empty() ? catalog_path_
                            : catalog != nullptr   ? catalog->db_path()
                                                   : catalog_path_;
    return HandleCatalogQuery(db, access_, ctx->access_key, request);
  }
  if (!MayAdminister(ctx->access_key)) {
    return JsonError({ErrorCode::kAccessDenied,
                      "Admin API requires the root credentials or a policy allowing kumo:Admin"});
  }
  const std::string& path = request.raw_path;
  if (path.rfind(kUsers, 0) == 0) {
    return HandleUsers(store_, access_, request, std::string_view(path).substr(kUsers.size()));
  }
  if (auto r = HandleHandlersApi(dispatcher_.load(), store_->events(), request)) return r;
  if (auto r = HandleCatalogApi(catalog_.load(), request)) return r;
  if (path == kEvents && request.method == "GET") return ListEvents(store_->events(), request);
  constexpr std::string_view kTrace = "/trace";
  if (path.rfind(kEvents, 0) == 0 && path.size() > kEvents.size() + kTrace.size() + 1 &&
      path.compare(path.size() - kTrace.size(), kTrace.size(), kTrace) == 0 &&
      request.method == "GET") {
    size_t start = kEvents.size() + 1;
    return TraceEvent(store_->events(), path.substr(start, path.size() - kTrace.size() - start));
  }
  return JsonResponse(404,
                      {{"error", "NoSuchResource"}, {"message", "unknown admin path " + path}});
}

}  // namespace kumo::admin
