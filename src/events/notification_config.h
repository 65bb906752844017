// The S3 bucket notification configuration (PutBucketNotificationConfiguration): which
// events of a bucket reach which handler, with prefix/suffix key filters. Parsed from
// and rendered to the S3 XML document; stored per bucket as that XML.
// Plain values and pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::events {

struct NotificationRule {
  enum class Kind { kLambda, kQueue, kTopic };
  Kind kind = Kind::kQueue;
  std::string id;
  std::string arn;
  std::vector<std::string> events;  // "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", ...
  std::string prefix;
  std::string suffix;
};

// A binding declared in the configuration file ([[bindings]]): it applies to the bucket
// (every bucket for "*") in addition to what PutBucketNotificationConfiguration set.
struct StaticBinding {
  std::string bucket;
  NotificationRule rule;
};

struct NotificationConfig {
  std::vector<NotificationRule> rules;
};

// At most this many rules (Queue/Topic/CloudFunction configurations) in one document:
// overlapping rules are found by comparing every pair.
constexpr size_t kMaxNotificationRules = 1000;

// Parses the XML body. known_arn tells whether an ARN names a configured handler.
// Errors: kMalformedXML; kInvalidArgument for an unknown ARN ("Unable to validate the
// following destination configurations"), an unknown event name, filter rules other than
// one prefix and one suffix, overlapping rules for the same event type, or more than
// kMaxNotificationRules rules.
Result<NotificationConfig> ParseNotificationConfig(
    std::string_view xml, const std::function<bool(const std::string&)>& known_arn);
std::string RenderNotificationConfig(const NotificationConfig& config);

// Whether name is an event type a configuration may name, e.g. "s3:ObjectCreated:*".
bool IsKnownEventName(std::string_view name);

// Whether a rule selects an event (name without "s3:", e.g. "ObjectCreated:Put") on key.
bool RuleMatches(const NotificationRule& rule, std::string_view event_name, std::string_view key);

}  // namespace kumo::events
