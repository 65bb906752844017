// Webhook targets declared through the environment, MinIO's convention:
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
#include "events/webhook.h"

namespace kumo::events {

// Applies the KUMO_NOTIFY_WEBHOOK_* entries of env ("NAME=value" strings, as in
// environ) to targets, then checks that every target has an endpoint and sorts them
// by id. Errors: kInvalidArgument naming the variable or target.
Status MergeWebhookEnv(const std::vector<std::string>& env, std::vector<WebhookConfig>* targets);

}  // namespace kumo::events
