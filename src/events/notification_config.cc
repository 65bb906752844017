#include "events/notification_config.h"

#include <pugixml.hpp>
#include <sstream>
#include <unordered_set>

#include "common/utf8.h"

namespace kumo::events {

namespace {

Status Malformed() {
  return {ErrorCode::kMalformedXML,
          "The XML you provided was not well-formed or did not validate against our "
          "published schema"};
}

Status Invalid(std::string msg) { return {ErrorCode::kInvalidArgument, std::move(msg)}; }

// Event types S3 accepts in a configuration.
constexpr std::string_view kKnownEvents[] = {
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectTagging:*",
    "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete",
    "s3:ObjectAcl:Put",
};

struct Section {
  const char* element;
  const char* arn_element;
  NotificationRule::Kind kind;
};
constexpr Section kSections[] = {
    {"QueueConfiguration", "Queue", NotificationRule::Kind::kQueue},
    {"TopicConfiguration", "Topic", NotificationRule::Kind::kTopic},
    {"CloudFunctionConfiguration", "CloudFunction", NotificationRule::Kind::kLambda},
    {"LambdaFunctionConfiguration", "CloudFunction", NotificationRule::Kind::kLambda},
};

bool Overlaps(std::string_view a, std::string_view b) {
  return a.substr(0, b.size()) == b.substr(0, a.size());
}

bool SuffixOverlaps(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  return a.substr(a.size() - n) == b.substr(b.size() - n);
}

// The concrete event types (kKnownEvents entries other than wildcards) a rule selects,
// one bit each; a wildcard selects its whole family. Two rules share an event type iff
// their masks intersect: one AND instead of comparing every pair of event names.
uint32_t EventMask(const NotificationRule& rule) {
  auto family = [](std::string_view e) { return e.substr(0, e.rfind(':')); };
  uint32_t mask = 0;
  for (std::string_view e : rule.events) {
    for (size_t i = 0; i < std::size(kKnownEvents); ++i) {
      std::string_view k = kKnownEvents[i];
      if (k.back() == '*') continue;
      if (e == k || (e.back() == '*' && family(e) == family(k))) mask |= 1u << i;
    }
  }
  return mask;
}

Result<NotificationRule> ParseRule(pugi::xml_node node, const Section& section,
                                   const std::function<bool(const std::string&)>& known_arn) {
  NotificationRule rule;
  rule.kind = section.kind;
  rule.id = node.child_value("Id");
  rule.arn = node.child_value(section.arn_element);
  if (rule.arn.empty() && section.kind == NotificationRule::Kind::kLambda) {
    rule.arn = node.child_value("LambdaFunctionArn");
  }
  if (rule.arn.empty()) return Malformed();
  if (!known_arn(rule.arn)) {
    return Invalid("Unable to validate the following destination configurations: " + rule.arn);
  }
  for (auto e : node.children("Event")) {
    std::string name = e.child_value();
    if (!IsKnownEventName(name))
      return Invalid("The event is not supported for notifications: " + name);
    rule.events.push_back(name);
  }
  if (rule.events.empty()) return Malformed();
  auto filter = node.child("Filter");
  if (filter) {
    auto key = filter.child("S3Key");
    for (auto fr : key.children("FilterRule")) {
      std::string name = fr.child_value("Name");
      std::string value = fr.child_value("Value");
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string* slot = name == "prefix"   ? &rule.prefix
                          : name == "suffix" ? &rule.suffix
                                             : nullptr;
      if (slot == nullptr) return Invalid("filter rule name must be either prefix or suffix");
      if (!slot->empty())
        return Invalid("Cannot specify more than one " + name + " rule in a filter.");
      *slot = value;
    }
  }
  if (rule.id.empty()) rule.id = "kumo-" + std::to_string(std::hash<std::string>{}(rule.arn));
  return rule;
}

}  // namespace

bool IsKnownEventName(std::string_view name) {
  for (auto k : kKnownEvents) {
    if (name == k) return true;
  }
  return false;
}

Result<NotificationConfig> ParseNotificationConfig(
    std::string_view xml, const std::function<bool(const std::string&)>& known_arn) {
  pugi::xml_document doc;
  // Whitespace-only values are kept (" " is a valid suffix): pugixml drops them by
  // default, so a CDATA " " was accepted and then lost once the configuration was stored
  // as RenderNotificationConfig's text and parsed again, leaving a filter that matched
  // every key.
  constexpr unsigned kOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;
  // Ids and filter values are echoed into XML and event JSON: only UTF-8 is accepted.
  if (!IsValidUtf8(xml) || !doc.load_buffer(xml.data(), xml.size(), kOptions)) return Malformed();
  auto root = doc.child("NotificationConfiguration");
  if (!root) return Malformed();
  NotificationConfig config;
  for (auto child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const Section* section = nullptr;
    for (const auto& s : kSections) {
      if (std::string_view(child.name()) == s.element) section = &s;
    }
    if (section == nullptr) {
      if (std::string_view(child.name()) == "EventBridgeConfiguration") continue;
      return Malformed();
    }
    KUMO_ASSIGN_OR_RETURN(NotificationRule rule, ParseRule(child, *section, known_arn));
    config.rules.push_back(std::move(rule));
  }
  std::unordered_set<std::string_view> ids;
  for (const auto& r : config.rules) {
    if (!ids.insert(r.id).second) return Invalid("Configuration Id must be unique: " + r.id);
  }
  // The overlap check compares every pair of rules: bound it.
  if (config.rules.size() > kMaxNotificationRules) {
    return Invalid("A notification configuration may hold at most " +
                   std::to_string(kMaxNotificationRules) + " configurations.");
  }
  std::vector<uint32_t> masks;
  masks.reserve(config.rules.size());
  for (const auto& r : config.rules) masks.push_back(EventMask(r));
  for (size_t i = 0; i < config.rules.size(); ++i) {
    for (size_t j = i + 1; j < config.rules.size(); ++j) {
      const auto& a = config.rules[i];
      const auto& b = config.rules[j];
      if ((masks[i] & masks[j]) != 0 && Overlaps(a.prefix, b.prefix) &&
          SuffixOverlaps(a.suffix, b.suffix)) {
        return Invalid(
            "Configurations overlap. Configurations on the same bucket cannot share a common "
            "event type.");
      }
    }
  }
  return config;
}

std::string RenderNotificationConfig(const NotificationConfig& config) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("NotificationConfiguration");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  auto text = [](pugi::xml_node parent, const char* name, const std::string& value) {
    parent.append_child(name).append_child(pugi::node_pcdata).set_value(value.c_str());
  };
  for (const auto& r : config.rules) {
    const char* element = r.kind == NotificationRule::Kind::kQueue   ? "QueueConfiguration"
                          : r.kind == NotificationRule::Kind::kTopic ? "TopicConfiguration"
                                                                     : "CloudFunctionConfiguration";
    const char* arn = r.kind == NotificationRule::Kind::kQueue   ? "Queue"
                      : r.kind == NotificationRule::Kind::kTopic ? "Topic"
                                                                 : "CloudFunction";
    auto node = root.append_child(element);
    text(node, "Id", r.id);
    text(node, arn, r.arn);
    for (const auto& e : r.events) text(node, "Event", e);
    if (!r.prefix.empty() || !r.suffix.empty()) {
      auto key = node.append_child("Filter").append_child("S3Key");
      if (!r.prefix.empty()) {
        auto fr = key.append_child("FilterRule");
        text(fr, "Name", "prefix");
        text(fr, "Value", r.prefix);
      }
      if (!r.suffix.empty()) {
        auto fr = key.append_child("FilterRule");
        text(fr, "Name", "suffix");
        text(fr, "Value", r.suffix);
      }
    }
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

bool RuleMatches(const NotificationRule& rule, std::string_view event_name, std::string_view key) {
  bool selected = false;
  for (const auto& e : rule.events) {
    std::string_view pattern = std::string_view(e).substr(3);  // drop "s3:"
    if (pattern == event_name) selected = true;
    if (pattern.size() > 1 && pattern.back() == '*' &&
        event_name.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1)) {
      selected = true;
    }
  }
  if (!selected) return false;
  if (key.substr(0, rule.prefix.size()) != rule.prefix) return false;
  if (key.size() < rule.suffix.size() ||
      key.substr(key.size() - rule.suffix.size()) != rule.suffix) {
    return false;
  }
  return true;
}

}  // namespace kumo::events
