// notify: the built-in function behind webhook notification targets. kumod creates one
// instance per [notify.webhook.<ID>] (or KUMO_NOTIFY_WEBHOOK_*_<ID>) target, bound as
// arn:kumo:sqs::<ID>:webhook, with the config {"endpoint", "secret", "format",
// "timeout_ms"}. It is an ordinary plugin, built against include/kumo only.
// handle() may run concurrently (the target's concurrency): each POST has its own
// connection.
#include <kumo/plugin.hpp>
#include <nlohmann/json.hpp>

#include "webhook.h"

namespace {

kumo::notify::WebhookConfig ParseConfig(const std::string& json) {
  auto j = nlohmann::json::parse(json);  // throws on bad JSON: a start-up error
  kumo::notify::WebhookConfig c;
  c.endpoint = j.value("endpoint", "");
  c.secret = j.value("secret", "");
  c.format = j.value("format", "raw");
  c.timeout_ms = j.value("timeout_ms", 5000);
  return c;
}

class Notify : public kumo::plugin::Function {
 public:
  explicit Notify(const kumo::plugin::Context& ctx) : target_(ParseConfig(ctx.config_json)) {}

  kumo::plugin::Result Handle(const kumo::plugin::Event& event, kumo::plugin::Call&) override {
    return target_.Post(event);
  }

 private:
  kumo::notify::WebhookTarget target_;
};

}  // namespace

KUMO_PLUGIN(Notify, "notify", "1.0")
