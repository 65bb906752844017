// Fuzzes the event filter of notification rules (RuleMatches), which the dispatcher runs
// on every event: the rule's events come from the known names (as ParseNotificationConfig
// and the [[bindings]] loader guarantee), the prefix, suffix, event name and key are
// arbitrary bytes. Invariant: RuleMatches agrees with S3's documented semantics, written
// out independently below.
#include <cstdint>
#include <string>

#include "events/notification_config.h"
#include "fuzz_util.h"

namespace {

constexpr const char* kEvents[] = {"s3:ObjectCreated:*",
                                   "s3:ObjectCreated:Put",
                                   "s3:ObjectCreated:Post",
                                   "s3:ObjectCreated:Copy",
                                   "s3:ObjectCreated:CompleteMultipartUpload",
                                   "s3:ObjectRemoved:*",
                                   "s3:ObjectRemoved:Delete",
                                   "s3:ObjectRemoved:DeleteMarkerCreated",
                                   "s3:ObjectTagging:*",
                                   "s3:ObjectTagging:Put",
                                   "s3:ObjectTagging:Delete"};

// An event name (without "s3:") is selected by a pattern when equal to it, or when the
// pattern is "<Family>:*" and the name is "<Family>:<anything>".
bool Selects(std::string_view pattern, std::string_view name) {
  pattern.remove_prefix(3);
  if (pattern == name) return true;
  if (!pattern.ends_with(":*")) return false;
  pattern.remove_suffix(1);
  return name.starts_with(pattern);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  kumo::events::NotificationRule rule;
  size_t n = in.ConsumeIntegralInRange<size_t>(1, 4);
  for (size_t i = 0; i < n; ++i) {
    rule.events.push_back(kEvents[in.ConsumeIntegralInRange<size_t>(0, std::size(kEvents) - 1)]);
    KUMO_FUZZ_CHECK(kumo::events::IsKnownEventName(rule.events.back()));
  }
  rule.prefix = in.ConsumeRandomLengthString(16);
  rule.suffix = in.ConsumeRandomLengthString(16);
  std::string event_name =
      in.ConsumeBool()
          ? std::string(kEvents[in.ConsumeIntegralInRange<size_t>(0, std::size(kEvents) - 1)])
                .substr(3)
          : in.ConsumeRandomLengthString(40);
  std::string key = in.ConsumeRemainingBytesAsString();

  bool selected = false;
  for (const auto& e : rule.events) selected = selected || Selects(e, event_name);
  bool expected = selected && key.starts_with(rule.prefix) && key.ends_with(rule.suffix);
  KUMO_FUZZ_CHECK(kumo::events::RuleMatches(rule, event_name, key) == expected);
  // No filter: only the event type decides.
  kumo::events::NotificationRule open = rule;
  open.prefix.clear();
  open.suffix.clear();
  KUMO_FUZZ_CHECK(kumo::events::RuleMatches(open, event_name, key) == selected);
  return 0;
}
