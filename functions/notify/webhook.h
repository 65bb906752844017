// The notify function's webhook target: its configuration, the request it sends for an
// event, and how a response maps to a delivery result.
//
// Request: POST <endpoint> with Content-Type: application/json, User-Agent: kumo,
// X-Kumo-Event-Sequence: <sequence> (an idempotency key: at-least-once delivery may
// repeat an event, with the same sequence), X-Kumo-Event-Name: <eventName>, and, when
// the target has a secret, X-Kumo-Signature: sha256=<hex HMAC-SHA256(secret, body)>
// over the exact body bytes. Body: the S3 event message ("raw"), or for "chat" a
// compact {"text": "ObjectCreated:Put s3://bucket/key (123 bytes)"} that Slack,
// Mattermost and similar incoming webhooks accept.
// Response: 2xx delivered; 408, 429, 5xx, no response or a timeout: retryable; any
// other status: permanent (dead-lettered at once). Redirects are not followed.
// Pure functions over values, but for WebhookTarget::Post (network I/O, thread-safe).
#pragma once

#include <kumo/plugin.hpp>
#include <memory>
#include <string>

#include "http_post.h"

namespace kumo::notify {

struct WebhookConfig {
  std::string endpoint;        // http:// or https:// URL
  std::string secret;          // optional HMAC key
  std::string format = "raw";  // "raw" | "chat"
  int timeout_ms = 5000;       // per attempt: connect, send and response together
};

// "sha256=<lower-case hex HMAC-SHA256(secret, body)>".
std::string WebhookSignature(const std::string& secret, const std::string& body);

// The delivery result of an HTTP status (0: no response).
kumo_result ClassifyHttpStatus(int status);

class WebhookTarget {
 public:
  // Throws std::invalid_argument naming the bad setting (format, timeout, endpoint).
  explicit WebhookTarget(WebhookConfig config);

  // The request body for an event (its S3 message itself in "raw" format).
  std::string Body(const plugin::Event& event) const;
  // POSTs the event; never throws.
  plugin::Result Post(const plugin::Event& event) const;

 private:
  WebhookConfig config_;
  std::unique_ptr<HttpPoster> poster_;
};

}  // namespace kumo::notify
