#include "admin/users_api.h"

#include <nlohmann/json.hpp>

#include "admin/admin_api.h"
#include "admin/json_response.h"
#include "common/time_util.h"
#include "policy/policy_document.h"
#include "s3/errors.h"

namespace kumo::admin {

namespace {


s3::Response MethodNotAllowed() { return JsonResponse(405, {{"error", "MethodNotAllowed"}}); }

// The document as stored: validated, and kept as the caller wrote it.
Result<std::string> ValidPolicy(std::string_view text) {
  policy::ParseOptions options;
  options.is_identity_policy = true;
  KUMO_RETURN_IF_ERROR(policy::ParsePolicy(text, options).status());
  return std::string(text);
}

s3::Response ListUsers(storage::Store* store) {
  auto users = store->ListUsers();
  if (!users.ok()) return JsonError(users.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& u : *users) {
    list.push_back({{"access_key", u.access_key},
                    {"created", FormatIso8601Millis(u.created_ms)},
                    {"policy", !u.policy.empty()}});
  }
  return JsonResponse(200, {{"users", list}});
}

s3::Response AddUser(storage::Store* store, policy::AccessCache* access, const std::string& name,
                     const HttpRequest& request) {
  if (access->IsRoot(name)) {
    return JsonError({ErrorCode::kInvalidArgument, "that access key is the root key"});
  }
  storage::UserRecord user;
  user.access_key = name;
  user.secret_key = RandomKey(40, true);
  user.created_ms = NowMillis();
  if (!request.body.empty()) {
    auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
      return JsonError({ErrorCode::kInvalidArgument, "the body must be a JSON object"});
    }
    if (auto it = body.find("policy"); it != body.end() && !it->is_null()) {
      if (!it->is_object()) {
        return JsonError({ErrorCode::kMalformedPolicy, "policy must be a policy document (object)"});
      }
      auto policy = ValidPolicy(it->dump());
      if (!policy.ok()) return JsonError(policy.status());
      user.policy = std::move(*policy);
    }
  }
  s3::Response r =
      JsonResponse(200, {{"access_key", user.access_key}, {"secret_key", user.secret_key}});
  Status s = store->PutUser(user);
  access->UserChanged(name);
  if (!s.ok()) return JsonError(s);
  return r;
}

s3::Response UserPolicy(storage::Store* store, policy::AccessCache* access, const std::string& name,
                        const HttpRequest& request) {
  auto user = store->GetUser(name);
  if (!user.ok()) return JsonError(user.status());
  if (request.method == "GET") {
    nlohmann::json policy = nullptr;
    if (!user->policy.empty()) {
      policy = nlohmann::json::parse(user->policy, nullptr, /*allow_exceptions=*/false);
    }
    return JsonResponse(200, {{"user", name}, {"policy", policy}});
  }
  if (request.method == "PUT") {
    auto policy = ValidPolicy(request.body);
    if (!policy.ok()) return JsonError(policy.status());
    user->policy = std::move(*policy);
  } else if (request.method == "DELETE") {
    user->policy.clear();
  } else {
    return MethodNotAllowed();
  }
  Status s = store->PutUser(*user);
  access->UserChanged(name);
  if (!s.ok()) return JsonError(s);
  return JsonResponse(200, {{"user", name}, {"policy", !user->policy.empty()}});
}

}  // namespace

bool IsValidUserName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

s3::Response HandleUsers(storage::Store* store, policy::AccessCache* access,
                         const HttpRequest& request, std::string_view rest) {
  if (rest.empty() || rest == "/") {
    if (request.method != "GET") return MethodNotAllowed();
    return ListUsers(store);
  }
  constexpr std::string_view kPolicy = "/policy";
  bool policy = rest.size() > kPolicy.size() + 1 && rest.ends_with(kPolicy);
  if (policy) rest.remove_suffix(kPolicy.size());
  auto decoded = UrlDecode(rest.substr(1));
  if (!decoded || !IsValidUserName(*decoded)) {
    return JsonError({ErrorCode::kInvalidArgument,
                  "a user name is 1 to 64 characters of A-Z a-z 0-9 + = , . @ _ -"});
  }
  const std::string& name = *decoded;
  if (policy) return UserPolicy(store, access, name, request);
  if (request.method == "DELETE") {
    Status s = store->DeleteUser(name);
    access->UserChanged(name);
    if (!s.ok()) return JsonError(s);
    return JsonResponse(200, {{"deleted", name}});
  }
  if (request.method != "PUT") return MethodNotAllowed();
  return AddUser(store, access, name, request);
}

}  // namespace kumo::admin
