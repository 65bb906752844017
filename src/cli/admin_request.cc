#include "cli/admin_request.h"

#include <iostream>

#include "cli/http_client.h"

namespace kumo::cli {
namespace {

std::string StringField(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void PrintServerError(const HttpReply& reply) {
  nlohmann::json j = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  std::string code = j.is_object() ? StringField(j, "error") : std::string();
  std::string message = j.is_object() ? StringField(j, "message") : std::string();
  std::cerr << "kumo: server replied HTTP " << reply.status;
  if (!code.empty()) {
    std::cerr << ": " << code;
    if (!message.empty()) std::cerr << ": " << message;
  } else if (!reply.body.empty()) {
    std::cerr << ":\n" << reply.body;
  }
  std::cerr << "\n";
}

}  // namespace

std::optional<nlohmann::json> AdminRequest(const GlobalOptions& options, std::string_view method,
                                           std::string_view path, std::string_view body) {
  if (options.access_key.empty() || options.secret_key.empty()) {
    std::cerr << "kumo: no credentials: pass --access-key and --secret-key, or set "
                 "KUMO_ROOT_ACCESS_KEY and KUMO_ROOT_SECRET_KEY\n";
    return std::nullopt;
  }
  auto endpoint = ParseEndpoint(options.endpoint);
  if (!endpoint.ok()) {
    std::cerr << "kumo: " << endpoint.status().message() << "\n";
    return std::nullopt;
  }
  auth::SignInput credentials;
  credentials.access_key = options.access_key;
  credentials.secret_key = options.secret_key;
  credentials.region = options.region;

  auto reply = SendSigned(*endpoint, credentials, method, path, options.timeout_seconds, body);
  if (!reply.ok()) {
    std::cerr << "kumo: " << reply.status().message() << "\n";
    return std::nullopt;
  }
  if (reply->status < 200 || reply->status > 299) {
    PrintServerError(*reply);
    return std::nullopt;
  }
  if (reply->body.empty()) return nlohmann::json();
  nlohmann::json j = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::cerr << "kumo: server replied HTTP " << reply->status << " with a body that is not "
              << "JSON:\n"
              << reply->body << "\n";
    return std::nullopt;
  }
  return j;
}

}  // namespace kumo::cli
