#include "admin/search_api.h"

#include "admin/json_response.h"
#include "catalog/search_query.h"
#include "catalog/sql_query.h"
#include "common/time_util.h"
#include "policy/access.h"
#include "s3/errors.h"

namespace kumo::admin {

namespace {


// The condition keys a catalog query can offer (it is no S3 request: no headers of one).
void FillConditions(const HttpRequest& request, const policy::UserAccess& user,
                    policy::RequestContext* out) {
  if (!request.remote_addr.empty() && out->Wants("aws:SourceIp")) {
    out->Set("aws:SourceIp", request.remote_addr);
  }
  if (out->Wants("aws:SecureTransport")) {
    out->Set("aws:SecureTransport", request.tls ? "true" : "false");
  }
  const int64_t now = NowMillis();
  if (out->Wants("aws:CurrentTime")) out->Set("aws:CurrentTime", FormatIso8601Millis(now));
  if (out->Wants("aws:EpochTime")) out->Set("aws:EpochTime", std::to_string(now / 1000));
  if (out->Wants("aws:username")) out->Set("aws:username", user.name);
  if (out->Wants("aws:userid")) out->Set("aws:userid", user.name);
  if (out->Wants("aws:PrincipalType")) out->Set("aws:PrincipalType", "User");
}

bool MayRunSql(policy::AccessCache* access, std::string_view access_key,
               const HttpRequest& request) {
  if (access->IsRoot(access_key)) return true;
  auto user = access->User(access_key);
  if (!user.ok() || !*user) return false;
  policy::AccessRequest r;
  r.user = user->get();
  r.action = "kumo:CatalogSql";
  r.resource = "*";
  r.conditions = [&](policy::RequestContext* out) { FillConditions(request, **user, out); };
  return policy::Decide(r) == policy::Decision::kAllow;
}

s3::Response Search(const std::string& db, const catalog::BucketVisible& visible,
                    const HttpRequest& request) {
  auto params = ParseQuery(request.raw_query);
  if (!params) return JsonError(Status::InvalidArgument("malformed query string"));
  auto query = catalog::ParseSearchQuery(*params);
  if (!query.ok()) return JsonError(query.status());
  auto result = catalog::Search(db, *query, visible);
  if (!result.ok()) return JsonError(result.status());
  return JsonResponse(200, catalog::SearchResultJson(*result));
}

s3::Response Sql(const std::string& db, const catalog::BucketVisible& visible,
                 const HttpRequest& request) {
  auto params = ParseQuery(request.raw_query);
  if (!params) return JsonError(Status::InvalidArgument("malformed query string"));
  for (const auto& [name, value] : *params) {
    if (name != "format" || value != "json") {
      return JsonError(Status::InvalidArgument(name + ": unknown parameter (only format=json)"));
    }
  }
  auto result = catalog::RunSql(db, request.body, visible);
  if (!result.ok()) return JsonError(result.status());
  return JsonResponse(200, catalog::SqlResultJson(*result));
}

}  // namespace

catalog::BucketVisible VisibilityFor(policy::AccessCache* access, std::string_view access_key,
                                     const HttpRequest& request) {
  if (access->IsRoot(access_key)) return {};
  auto loaded = access->User(access_key);
  std::shared_ptr<const policy::UserAccess> user =
      loaded.ok() ? *loaded : std::shared_ptr<const policy::UserAccess>();
  return [access, user, &request](std::string_view bucket) {
    if (!user) return false;
    auto b = access->Bucket(bucket);
    if (!b.ok() || !*b) return false;
    const std::string arn = "arn:aws:s3:::" + std::string(bucket);
    policy::AccessRequest r;
    r.user = user.get();
    r.action = "s3:ListBucket";
    r.resource = arn;
    r.bucket = b->get();
    r.conditions = [&](policy::RequestContext* out) { FillConditions(request, *user, out); };
    return policy::Decide(r) == policy::Decision::kAllow;
  };
}

s3::Response HandleCatalogQuery(const std::string& catalog_db, policy::AccessCache* access,
                                std::string_view access_key, const HttpRequest& request) {
  const bool sql = request.raw_path == kSqlPath;
  if (sql ? request.method != "POST" : (request.method != "GET" && request.method != "HEAD")) {
    return JsonResponse(405, {{"error", "MethodNotAllowed"},
                              {"message", std::string(sql ? "POST " : "GET ") + request.raw_path}});
  }
  if (catalog_db.empty()) {
    return JsonResponse(503,
                        {{"error", "ServiceUnavailable"}, {"message", "the catalog is disabled"}});
  }
  if (sql && !MayRunSql(access, access_key, request)) {
    return JsonError({ErrorCode::kAccessDenied,
                  "catalog SQL requires the root credentials or a policy allowing "
                  "kumo:CatalogSql"});
  }
  catalog::BucketVisible visible = VisibilityFor(access, access_key, request);
  return sql ? Sql(catalog_db, visible, request) : Search(catalog_db, visible, request);
}

}  // namespace kumo::admin
