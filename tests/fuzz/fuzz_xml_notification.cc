// Fuzzes PutBucketNotificationConfiguration's document (ParseNotificationConfig) and the
// XML depth guard (xml_check.h). Input: the body; ARNs starting "arn:" count as known.
// Invariants: an accepted configuration has at most kMaxNotificationRules rules, unique
// Ids, known event names; and it is stored as RenderNotificationConfig's document, which
// must parse back (as the event dispatcher reads it) to the very same rules.
#include <cstdint>
#include <string_view>

#include "events/notification_config.h"
#include "xml_check.h"

namespace {

bool SameRule(const kumo::events::NotificationRule& a, const kumo::events::NotificationRule& b) {
  return a.kind == b.kind && a.id == b.id && a.arn == b.arn && a.events == b.events &&
         a.prefix == b.prefix && a.suffix == b.suffix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kumo::fuzz::CheckXmlDepth(body);
  auto known = [](const std::string& arn) { return arn.starts_with("arn:"); };
  auto config = kumo::events::ParseNotificationConfig(body, known);
  if (!config.ok()) {
    KUMO_FUZZ_CHECK(config.status().Is(kumo::ErrorCode::kMalformedXML) ||
                    config.status().Is(kumo::ErrorCode::kInvalidArgument));
    return 0;
  }
  KUMO_FUZZ_CHECK(config->rules.size() <= kumo::events::kMaxNotificationRules);
  for (const auto& rule : config->rules) {
    KUMO_FUZZ_CHECK(!rule.events.empty());
    for (const auto& e : rule.events) KUMO_FUZZ_CHECK(kumo::events::IsKnownEventName(e));
  }
  std::string stored = kumo::events::RenderNotificationConfig(*config);
  auto again = kumo::events::ParseNotificationConfig(stored, known);
  if (!again.ok()) std::fprintf(stderr, "re-parse: %s\n", again.status().ToString().c_str());
  KUMO_FUZZ_CHECK(again.ok());
  KUMO_FUZZ_CHECK(again->rules.size() == config->rules.size());
  for (size_t i = 0; i < config->rules.size(); ++i) {
    KUMO_FUZZ_CHECK(SameRule(again->rules[i], config->rules[i]));
  }
  return 0;
}
