#include "events/webhook.h"

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "events/test_event.h"

namespace kumo::events {

namespace {

bool ValidId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  return "sha256=" + HexEncode(HmacSha256(secret, body));
}

DeliveryOutcome ClassifyHttpStatus(int status) {
  if (status >= 200 && status < 300) return DeliveryOutcome::kDelivered;
  if (status == 0 || status == 408 || status == 429 || status >= 500) {
    return DeliveryOutcome::kRetryable;
  }
  return DeliveryOutcome::kPermanent;
}

Result<std::unique_ptr<WebhookHandler>> WebhookHandler::Create(WebhookConfig config) {
  const std::string where = "webhook target '" + config.id + "': ";
  if (!ValidId(config.id)) {
    return Status::InvalidArgument(where + "the id must be letters, digits, '_' or '-'");
  }
  if (config.format != "raw" && config.format != "chat") {
    return Status::InvalidArgument(where + "format must be \"raw\" or \"chat\", not \"" +
                                   config.format + "\"");
  }
  if (config.timeout_ms <= 0) return Status::InvalidArgument(where + "timeout_ms must be > 0");
  auto poster = HttpPoster::Create(config.endpoint);
  if (!poster.ok()) return Status(poster.status().code(), where + poster.status().message());
  return std::unique_ptr<WebhookHandler>(
      new WebhookHandler(std::move(config), std::move(poster).value()));
}

WebhookHandler::WebhookHandler(WebhookConfig config, std::unique_ptr<HttpPoster> poster)
    : config_(std::move(config)),
      name_("webhook:" + config_.id),
      arn_("arn:kumo:sqs::" + config_.id + ":webhook"),
      poster_(std::move(poster)) {}

std::string WebhookHandler::Body(const storage::EventRecord& record,
                                 const std::string& payload) const {
  if (config_.format != "chat") return payload;
  std::string text;
  if (IsTestEvent(record)) {
    text = std::string(kTestEventName) + " for bucket " + record.bucket;
  } else {
    text = record.name + " s3://" + record.bucket + "/" + record.key;
    if (record.name.rfind("ObjectCreated:", 0) == 0) {
      text += " (" + std::to_string(record.size) + " bytes)";
    }
  }
  return nlohmann::json{{"text", text}}.dump();
}

DeliveryResult WebhookHandler::Deliver(const storage::EventRecord& record,
                                       const std::string& payload) {
  try {
    const std::string body = Body(record, payload);
    StringPairs headers = {{"Content-Type", "application/json"},
                           {"User-Agent", "kumo"},
                           {"X-Kumo-Event-Sequence", std::to_string(record.seq)},
                           {"X-Kumo-Event-Name", record.name}};
    if (!config_.secret.empty()) {
      headers.emplace_back("X-Kumo-Signature", WebhookSignature(config_.secret, body));
    }
    HttpPostResult r = poster_->Post(headers, body, config_.timeout_ms);
    DeliveryResult result;
    result.outcome = ClassifyHttpStatus(r.status);
    if (r.status == 0) {
      result.error = "POST " + config_.endpoint + ": " + r.error;
    } else if (result.outcome != DeliveryOutcome::kDelivered) {
      result.error = "POST " + config_.endpoint + ": HTTP " + std::to_string(r.status);
      if (!r.body_head.empty()) result.error += ": " + r.body_head;
    }
    return result;
  } catch (const std::exception& e) {
    return {DeliveryOutcome::kRetryable, std::string("webhook: ") + e.what()};
  }
}

}  // namespace kumo::events
