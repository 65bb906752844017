#include "webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kumo::notify {

namespace {
constexpr std::string_view kTestEventName = "s3:TestEvent";
}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

kumo_result ClassifyHttpStatus(int status) {
  if (status >= 200 && status < 300) return KUMO_RESULT_SUCCESS;
  // No answer (refused, reset, DNS, TLS handshake, timeout) or an answer that says "not
  // now": the receiver is unavailable, which is no fault of the event.
  if (status == 0 || status == 408 || status == 429 || status >= 500) {
    return KUMO_RESULT_UNAVAILABLE;
  }
  return KUMO_RESULT_PERMANENT;
}

WebhookTarget::WebhookTarget(WebhookConfig config) : config_(std::move(config)) {
  if (config_.format != "raw" && config_.format != "chat") {
    throw std::invalid_argument("format must be \"raw\" or \"chat\", not \"" + config_.format +
                                "\"");
  }
  if (config_.timeout_ms <= 0) throw std::invalid_argument("timeout_ms must be > 0");
  std::string error;
  poster_ = HttpPoster::Create(config_.endpoint, &error);
  if (poster_ == nullptr) throw std::invalid_argument(error);
}

std::string WebhookTarget::Body(const plugin::Event& event) const {
  if (config_.format != "chat") return std::string(event.json());
  std::string text;
  if (event.name() == kTestEventName) {
    text = std::string(kTestEventName).append(" for bucket ").append(event.bucket());
  } else {
    text = std::string(event.name()).append(" s3://").append(event.bucket()).append("/");
    text.append(event.key());
    if (event.created()) text += " (" + std::to_string(event.size()) + " bytes)";
  }
  // Keys are bytes: invalid UTF-8 becomes U+FFFD rather than an exception.
  return nlohmann::json{{"text", text}}.dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
}

plugin::Result WebhookTarget::Post(const plugin::Event& event) const {
  try {
    const std::string body = Body(event);
    Headers headers = {{"Content-Type", "application/json"},
                       {"User-Agent", "kumo"},
                       {"X-Kumo-Event-Sequence", std::to_string(event.sequence())},
                       {"X-Kumo-Event-Name", std::string(event.name())}};
    if (!config_.secret.empty()) {
      headers.emplace_back("X-Kumo-Signature", WebhookSignature(config_.secret, body));
    }
    HttpPostResult r = poster_->Post(headers, body, config_.timeout_ms);
    plugin::Result result;
    result.outcome = ClassifyHttpStatus(r.status);
    if (r.status == 0) {
      result.reason = "POST " + config_.endpoint + ": " + r.error;
    } else if (result.outcome != KUMO_RESULT_SUCCESS) {
      result.reason = "POST " + config_.endpoint + ": HTTP " + std::to_string(r.status);
      if (!r.body_head.empty()) result.reason += ": " + r.body_head;
    }
    return result;
  } catch (const std::exception& e) {
    return plugin::Result::Retry(std::string("webhook: ") + e.what());
  }
}

}  // namespace kumo::notify
