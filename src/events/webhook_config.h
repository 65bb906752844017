// Webhook notification targets: declared by [notify.webhook.<ID>] tables of the config
// file or through the environment, and served by the built-in notify function
// (functions/notify, a plugin like any other: one instance per target).
//
// The environment follows MinIO's convention:
//   KUMO_NOTIFY_WEBHOOK_ENDPOINT_<ID>    the URL (declares the target)
//   KUMO_NOTIFY_WEBHOOK_SECRET_<ID>      HMAC-SHA256 key for X-Kumo-Signature
//   KUMO_NOTIFY_WEBHOOK_FORMAT_<ID>      "raw" (default) or "chat"
//   KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_<ID>  per-attempt timeout, default 5000
// The <ID> of a variable is taken in lower case (KUMO_NOTIFY_WEBHOOK_ENDPOINT_ALERTS
// declares "alerts", arn:kumo:sqs::alerts:webhook), and a variable overrides the same
// key of a target of that ID (compared without case) from the config file.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "events/function_config.h"

namespace kumo::events {

struct WebhookConfig {
  std::string id;              // [A-Za-z0-9_-]+: the <ID> of "arn:kumo:sqs::<ID>:webhook"
  std::string endpoint;        // http:// or https:// URL
  std::string secret;          // optional HMAC key
  std::string format = "raw";  // "raw" | "chat"
  int timeout_ms = 5000;       // per attempt: connect, send and response together
};

// Applies the KUMO_NOTIFY_WEBHOOK_* entries of env ("NAME=value" strings, as in
// environ) to targets, then checks that every target has an endpoint and sorts them
// by id. Errors: kInvalidArgument naming the variable or target.
Status MergeWebhookEnv(const std::vector<std::string>& env, std::vector<WebhookConfig>* targets);

// The notify function instance serving a target: handler "webhook:<id>", ARN
// "arn:kumo:sqs::<id>:webhook", s3:TestEvents included, notify_plugin the path of
// notify.so. The endpoint, format and timeout are checked by the plugin when it starts.
// Errors: kInvalidArgument for an id that is not [A-Za-z0-9_-]+.
Result<FunctionConfig> WebhookFunction(const WebhookConfig& target,
                                       const std::string& notify_plugin);

}  // namespace kumo::events
