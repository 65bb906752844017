#include "events/webhook_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

namespace kumo::events {

namespace {

constexpr std::string_view kPrefix = "KUMO_NOTIFY_WEBHOOK_";
constexpr std::string_view kKeys[] = {"ENDPOINT", "SECRET", "FORMAT", "TIMEOUT_MS"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

WebhookConfig* FindOrAdd(std::vector<WebhookConfig>* targets, const std::string& id) {
  for (auto& t : *targets) {
    if (Lower(t.id) == id) return &t;
  }
  targets->push_back(WebhookConfig{});
  targets->back().id = id;
  return &targets->back();
}

}  // namespace

Status MergeWebhookEnv(const std::vector<std::string>& env, std::vector<WebhookConfig>* targets) {
  for (const auto& entry : env) {
    std::string_view e = entry;
    size_t eq = e.find('=');
    if (eq == std::string_view::npos || e.substr(0, kPrefix.size()) != kPrefix) continue;
    std::string_view name = e.substr(0, eq);
    std::string value(e.substr(eq + 1));
    std::string_view rest = name.substr(kPrefix.size());
    std::string_view key;
    for (std::string_view k : kKeys) {
      if (rest.size() > k.size() + 1 && rest.substr(0, k.size()) == k && rest[k.size()] == '_') {
        key = k;
      }
    }
    if (key.empty()) {
      return Status::InvalidArgument(
          "unknown variable " + std::string(name) +
          " (expected KUMO_NOTIFY_WEBHOOK_{ENDPOINT,SECRET,FORMAT,TIMEOUT_MS}_<ID>)");
    }
    WebhookConfig* t = FindOrAdd(targets, Lower(rest.substr(key.size() + 1)));
    if (key == "ENDPOINT") {
      t->endpoint = value;
    } else if (key == "SECRET") {
      t->secret = value;
    } else if (key == "FORMAT") {
      t->format = value;
    } else {
      char* end = nullptr;
      long ms = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || ms <= 0 || ms > 3600 * 1000) {
        return Status::InvalidArgument("invalid value '" + value + "' for " + std::string(name));
      }
      t->timeout_ms = static_cast<int>(ms);
    }
  }
  for (const auto& t : *targets) {
    if (t.endpoint.empty()) {
      return Status::InvalidArgument("webhook target '" + t.id +
                                     "' has no endpoint (KUMO_NOTIFY_WEBHOOK_ENDPOINT_<ID> or "
                                     "notify.webhook.<ID>.endpoint)");
    }
  }
  std::sort(targets->begin(), targets->end(),
            [](const WebhookConfig& a, const WebhookConfig& b) { return a.id < b.id; });
  return Status::OK();
}

Result<FunctionConfig> WebhookFunction(const WebhookConfig& target,
                                       const std::string& notify_plugin) {
  const bool valid_id =
      !target.id.empty() && std::all_of(target.id.begin(), target.id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
      });
  if (!valid_id) {
    return Status::InvalidArgument("webhook target '" + target.id +
                                   "': the id must be letters, digits, '_' or '-'");
  }
  FunctionConfig f;
  f.name = "notify-" + target.id;
  f.plugin = notify_plugin;
  f.config_json = nlohmann::json{{"endpoint", target.endpoint},
                                 {"secret", target.secret},
                                 {"format", target.format},
                                 {"timeout_ms", target.timeout_ms}}
                      .dump();
  f.handler_name = "webhook:" + target.id;
  f.arn = "arn:kumo:sqs::" + target.id + ":webhook";
  f.label = "webhook target '" + target.id + "'";
  f.test_events = true;
  return f;
}

}  // namespace kumo::events
