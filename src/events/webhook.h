// Webhook notification targets: POST each event to a configured URL.
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
//
// [Threading] Deliver is thread-safe (each call has its own connection).
// [Exceptions] None escape Deliver.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "events/handler.h"
#include "events/http_post.h"

namespace kumo::events {

struct WebhookConfig {
  std::string id;              // [A-Za-z0-9_-]+: the <ID> of "arn:kumo:sqs::<ID>:webhook"
  std::string endpoint;        // http:// or https:// URL
  std::string secret;          // optional HMAC key
  std::string format = "raw";  // "raw" | "chat"
  int timeout_ms = 5000;       // per attempt: connect, send and response together
};

class WebhookHandler final : public Handler {
 public:
  // Errors: kInvalidArgument naming the target (bad id, endpoint, format or timeout).
  static Result<std::unique_ptr<WebhookHandler>> Create(WebhookConfig config);

  const std::string& name() const override { return name_; }
  const std::string& arn() const override { return arn_; }
  DeliveryResult Deliver(const storage::EventRecord& record, const std::string& payload) override;

  // The request body for an event (the payload itself in "raw" format).
  std::string Body(const storage::EventRecord& record, const std::string& payload) const;

 private:
  WebhookHandler(WebhookConfig config, std::unique_ptr<HttpPoster> poster);

  const WebhookConfig config_;
  const std::string name_;
  const std::string arn_;
  const std::unique_ptr<HttpPoster> poster_;
};

// "sha256=<lower-case hex HMAC-SHA256(secret, body)>".
std::string WebhookSignature(const std::string& secret, const std::string& body);
// The delivery outcome of an HTTP status (0: no response).
DeliveryOutcome ClassifyHttpStatus(int status);

}  // namespace kumo::events
