#include "admin/admin_api.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "admin/events_api.h"
#include "admin/handlers_api.h"
#include "admin/json_response.h"
#include "admin/metrics.h"
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

s3::Response JsonError(const Status& s) {
  auto info = s3::ErrorInfoFor(s.code());
  return JsonResponse(info.http_status,
                      {{"error", std::string(info.code)}, {"message", s.message()}});
}
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
    return MetricsResponse(store_, dispatcher_.load());
  }
  if (request.raw_path.rfind(kAdmin, 0) != 0) return std::nullopt;

  auth::VerifyOptions vo;
  vo.now_unix = NowMillis() / 1000;
  auto ctx = auth::VerifyRequest(request, *credentials_, vo);
  if (!ctx.ok()) return JsonError(ctx.status());
  if (!MayAdminister(ctx->access_key)) {
    return JsonError({ErrorCode::kAccessDenied,
                      "Admin API requires the root credentials or a policy allowing kumo:Admin"});
  }
  const std::string& path = request.raw_path;
  if (path.rfind(kUsers, 0) == 0) return Users(request, path.substr(kUsers.size()));
  if (auto r = HandleHandlersApi(dispatcher_.load(), store_->events(), request)) return r;
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

s3::Response AdminApi::Users(const HttpRequest& request, const std::string& rest) {
  if (rest.empty() || rest == "/") {
    if (request.method != "GET") return JsonResponse(405, {{"error", "MethodNotAllowed"}});
    auto users = store_->ListUsers();
    if (!users.ok()) return JsonError(users.status());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : *users) {
      list.push_back(
          {{"access_key", u.access_key}, {"created", FormatIso8601Millis(u.created_ms)}});
    }
    return JsonResponse(200, {{"users", list}});
  }
  auto decoded = UrlDecode(rest.substr(1));
  if (!decoded || decoded->empty() || decoded->find('/') != std::string::npos) {
    return JsonResponse(400, {{"error", "InvalidArgument"}, {"message", "bad access key in path"}});
  }
  const std::string& access_key = *decoded;
  if (request.method == "DELETE") {
    Status s = store_->DeleteUser(access_key);
    access_->UserChanged(access_key);
    if (!s.ok()) return JsonError(s);
    return JsonResponse(200, {{"deleted", access_key}});
  }
  if (request.method != "PUT") return JsonResponse(405, {{"error", "MethodNotAllowed"}});
  if (access_->IsRoot(access_key)) {
    return JsonError({ErrorCode::kInvalidArgument, "that access key is the root key"});
  }
  storage::UserRecord user;
  user.access_key = access_key;
  user.secret_key = RandomKey(40, true);
  user.created_ms = NowMillis();
  s3::Response r =
      JsonResponse(200, {{"access_key", user.access_key}, {"secret_key", user.secret_key}});
  Status s = store_->PutUser(user);
  if (!s.ok()) return JsonError(s);
  return r;
}

}  // namespace kumo::admin
