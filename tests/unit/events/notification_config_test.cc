// ParseNotificationConfig: the overlap check's rule count bound and its event-type test,
// and blank filter values.
#include "events/notification_config.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::events {
namespace {

std::string Rule(const std::string& id, const std::string& event, const std::string& prefix) {
  return "<QueueConfiguration><Id>" + id + "</Id><Queue>arn:q</Queue><Event>" + event +
         "</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>" + prefix +
         "</Value></FilterRule></S3Key></Filter></QueueConfiguration>";
}

std::string Doc(const std::string& rules) {
  return "<NotificationConfiguration>" + rules + "</NotificationConfiguration>";
}

Result<NotificationConfig> Parse(const std::string& xml) {
  return ParseNotificationConfig(xml, [](const std::string&) { return true; });
}

TEST(NotificationConfigTest, OverlapNeedsASharedEventType) {
  EXPECT_TRUE(
      Parse(Doc(Rule("a", "s3:ObjectCreated:Put", "") + Rule("b", "s3:ObjectCreated:Post", "")))
          .ok());
  for (const char* other : {"s3:ObjectCreated:*", "s3:ObjectCreated:Put"}) {
    auto r = Parse(Doc(Rule("a", "s3:ObjectCreated:Put", "") + Rule("b", other, "x/")));
    ASSERT_FALSE(r.ok()) << other;
    EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidArgument));
  }
  EXPECT_TRUE(
      Parse(Doc(Rule("a", "s3:ObjectCreated:*", "") + Rule("b", "s3:ObjectRemoved:*", ""))).ok());
  auto dup = Parse(
      Doc(Rule("a", "s3:ObjectCreated:Put", "x") + Rule("a", "s3:ObjectRemoved:Delete", "y")));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "Configuration Id must be unique: a");
}

// Found by tests/fuzz (fuzz_xml_notification): a whitespace-only prefix was accepted
// from CDATA, then lost when the stored (rendered) configuration was parsed again.
TEST(NotificationConfigTest, BlankFilterValuesSurviveStorage) {
  for (const char* value : {"<![CDATA[ ]]>", " "}) {
    auto config = Parse(Doc(Rule("a", "s3:ObjectCreated:*", value)));
    ASSERT_TRUE(config.ok()) << value;
    ASSERT_EQ(config->rules.size(), 1u);
    EXPECT_EQ(config->rules[0].prefix, " ");
    auto stored = Parse(RenderNotificationConfig(*config));
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->rules[0].prefix, " ");
    EXPECT_FALSE(RuleMatches(stored->rules[0], "ObjectCreated:Put", "key"));
  }
}

TEST(NotificationConfigTest, RuleCountIsBoundedBeforeThePairwiseCheck) {
  std::string rules;
  for (size_t i = 0; i < kMaxNotificationRules; ++i) {
    // append, not "r" + to_string(i): GCC 12 warns (-Wrestrict) on the latter.
    const std::string n = std::to_string(i);
    rules += Rule(std::string("r").append(n), "s3:ObjectCreated:Put",
                  std::string("p").append(n).append("/"));
  }
  auto ok = Parse(Doc(rules));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->rules.size(), kMaxNotificationRules);
  rules += Rule("last", "s3:ObjectCreated:Put", "last/");
  auto r = Parse(Doc(rules));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidArgument)) << r.status().ToString();
}

// Ids and filter values are echoed into XML responses and event JSON: bytes that are no
// UTF-8 would make both unreadable, so such a body is refused as a whole.
TEST(NotificationConfigTest, ABodyThatIsNotUtf8IsMalformed) {
  EXPECT_TRUE(Parse(Doc(Rule("caf\xC3\xA9", "s3:ObjectCreated:Put", ""))).ok());
  auto id = Parse(Doc(Rule("bad\xC3", "s3:ObjectCreated:Put", "")));
  ASSERT_FALSE(id.ok());
  EXPECT_TRUE(id.status().Is(ErrorCode::kMalformedXML));
  auto prefix = Parse(Doc(Rule("r", "s3:ObjectCreated:Put", "p\xFF")));
  ASSERT_FALSE(prefix.ok());
  EXPECT_TRUE(prefix.status().Is(ErrorCode::kMalformedXML));
}

}  // namespace
}  // namespace kumo::events
