#include "events/webhook_config.h"

#include <gtest/gtest.h>

namespace kumo::events {
namespace {

TEST(WebhookConfigTest, EnvironmentDeclaresTargetsWithLowerCaseIds) {
  std::vector<WebhookConfig> targets;
  Status s = MergeWebhookEnv(
      {"PATH=/bin", "KUMO_NOTIFY_WEBHOOK_ENDPOINT_ALERTS=http://h/a",
       "KUMO_NOTIFY_WEBHOOK_SECRET_ALERTS=k", "KUMO_NOTIFY_WEBHOOK_FORMAT_CHAT_OPS=chat",
       "KUMO_NOTIFY_WEBHOOK_ENDPOINT_CHAT_OPS=https://h/c",
       "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_CHAT_OPS=250"},
      &targets);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].id, "alerts");
  EXPECT_EQ(targets[0].endpoint, "http://h/a");
  EXPECT_EQ(targets[0].secret, "k");
  EXPECT_EQ(targets[0].format, "raw");
  EXPECT_EQ(targets[0].timeout_ms, 5000);
  EXPECT_EQ(targets[1].id, "chat_ops");
  EXPECT_EQ(targets[1].format, "chat");
  EXPECT_EQ(targets[1].timeout_ms, 250);
}

TEST(WebhookConfigTest, EnvironmentOverridesTheConfigFile) {
  std::vector<WebhookConfig> targets = {{"Alerts", "http://file/", "file-secret", "raw", 5000}};
  ASSERT_TRUE(MergeWebhookEnv({"KUMO_NOTIFY_WEBHOOK_SECRET_ALERTS=env-secret"}, &targets).ok());
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].id, "Alerts");
  EXPECT_EQ(targets[0].endpoint, "http://file/");
  EXPECT_EQ(targets[0].secret, "env-secret");
}

TEST(WebhookConfigTest, RejectsUnknownVariablesAndTargetsWithoutEndpoint) {
  std::vector<WebhookConfig> targets;
  EXPECT_TRUE(MergeWebhookEnv({"KUMO_NOTIFY_WEBHOOK_ENABLE_X=on"}, &targets)
                  .Is(ErrorCode::kInvalidArgument));
  targets.clear();
  EXPECT_TRUE(MergeWebhookEnv({"KUMO_NOTIFY_WEBHOOK_SECRET_X=k"}, &targets)
                  .Is(ErrorCode::kInvalidArgument));
  targets.clear();
  EXPECT_TRUE(MergeWebhookEnv({"KUMO_NOTIFY_WEBHOOK_ENDPOINT_X=http://h/",
                               "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_X=soon"},
                              &targets)
                  .Is(ErrorCode::kInvalidArgument));
  targets.clear();
  EXPECT_TRUE(MergeWebhookEnv({"KUMO_NOTIFY_WEBHOOK_ENDPOINT_=http://h/"}, &targets)
                  .Is(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace kumo::events
