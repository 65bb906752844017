// Webhook targets against a loopback receiver, through the real path: the built-in
// notify plugin (functions/notify, KUMO_NOTIFY_PLUGIN) loaded by a FunctionHandler. The
// request it sends (headers, body, HMAC signature), how responses map to outcomes,
// timeouts, and configuration checks.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "events/function_handler.h"
#include "events/test_event.h"
#include "events/webhook_config.h"
#include "http_test_server.h"

namespace kumo::events {
namespace {

using testing::HttpTestServer;

storage::EventRecord Record() {
  storage::EventRecord r;
  r.seq = 42;
  r.name = "ObjectCreated:Put";
  r.bucket = "photos";
  r.key = "cats/tom.jpg";
  r.size = 1234;
  return r;
}

Result<std::unique_ptr<FunctionHandler>> Create(const WebhookConfig& target) {
  KUMO_ASSIGN_OR_RETURN(FunctionConfig f, WebhookFunction(target, KUMO_NOTIFY_PLUGIN));
  return FunctionHandler::Create(f, nullptr, nullptr);  // notify makes no host calls
}

std::unique_ptr<FunctionHandler> Make(const std::string& endpoint, const std::string& secret = "",
                                      const std::string& format = "raw", int timeout_ms = 5000) {
  auto h = Create({"alerts", endpoint, secret, format, timeout_ms});
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(h).value() : nullptr;
}

std::string Signature(const std::string& secret, const std::string& body) {
  return "sha256=" + HexEncode(HmacSha256(secret, body));
}

// The body the receiver got.
std::string BodyOf(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}

std::string Url(const HttpTestServer& s, const std::string& path = "/hook") {
  return "http://127.0.0.1:" + std::to_string(s.port()) + path;
}

TEST(WebhookTest, PostsTheEventWithHeadersAndSignature) {
  HttpTestServer server({204});
  auto h = Make(Url(server, "/hook?token=1"), "s3cret");
  EXPECT_EQ(h->name(), "webhook:alerts");
  EXPECT_EQ(h->arn(), "arn:kumo:sqs::alerts:webhook");
  const std::string payload = R"({"Records":[{"eventName":"ObjectCreated:Put"}]})";
  DeliveryResult r = h->Deliver(Record(), payload);
  EXPECT_EQ(r.outcome, DeliveryOutcome::kDelivered) << r.error;
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const std::string& req = reqs[0];
  EXPECT_EQ(req.rfind("POST /hook?token=1 HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(req.find("User-Agent: kumo\r\n"), std::string::npos);
  EXPECT_NE(req.find("X-Kumo-Event-Sequence: 42\r\n"), std::string::npos);
  EXPECT_NE(req.find("X-Kumo-Event-Name: ObjectCreated:Put\r\n"), std::string::npos);
  EXPECT_NE(req.find("X-Kumo-Signature: " + Signature("s3cret", payload) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(BodyOf(req), payload);
}

TEST(WebhookTest, SignatureIsHexHmacSha256) {
  HttpTestServer server({200});
  auto h = Make(Url(server), "key");
  const std::string body = "The quick brown fox jumps over the lazy dog";
  ASSERT_EQ(h->Deliver(Record(), body).outcome, DeliveryOutcome::kDelivered);
  EXPECT_NE(
      server.requests()[0].find("X-Kumo-Signature: sha256="
                                "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
                                "\r\n"),
      std::string::npos);
}

TEST(WebhookTest, NoSecretNoSignature) {
  HttpTestServer server({200});
  auto h = Make(Url(server));
  EXPECT_EQ(h->Deliver(Record(), "{}").outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(server.requests()[0].find("X-Kumo-Signature"), std::string::npos);
}

TEST(WebhookTest, ResponsesMapToOutcomes) {
  const std::vector<std::pair<int, DeliveryOutcome>> cases = {
      {200, DeliveryOutcome::kDelivered},   {299, DeliveryOutcome::kDelivered},
      {408, DeliveryOutcome::kUnavailable}, {429, DeliveryOutcome::kUnavailable},
      {503, DeliveryOutcome::kUnavailable}, {400, DeliveryOutcome::kPermanent},
      {404, DeliveryOutcome::kPermanent},   {301, DeliveryOutcome::kPermanent}};
  for (const auto& [status, outcome] : cases) {
    HttpTestServer one({status});
    EXPECT_EQ(Make(Url(one))->Deliver(Record(), "{}").outcome, outcome) << status;
  }

  HttpTestServer server({500, 404});
  auto h = Make(Url(server));
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kUnavailable);
  EXPECT_NE(r.error.find("HTTP 500"), std::string::npos) << r.error;
  r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kPermanent);
  EXPECT_NE(r.error.find("HTTP 404: nope"), std::string::npos) << r.error;
}

// A receiver that does not answer, or cannot be reached, is unavailable: the handler
// pauses instead of failing the event.
TEST(WebhookTest, ATimeoutIsUnavailable) {
  HttpTestServer server({0});
  auto h = Make(Url(server), "", "raw", 300);
  auto start = std::chrono::steady_clock::now();
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(r.outcome, DeliveryOutcome::kUnavailable);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}

TEST(WebhookTest, ConnectionRefusedIsUnavailable) {
  int port = 0;
  { port = HttpTestServer({}).port(); }  // a port nobody listens on any more
  auto h = Make("http://127.0.0.1:" + std::to_string(port) + "/", "", "raw", 1000);
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kUnavailable);
  EXPECT_FALSE(r.error.empty());
}

TEST(WebhookTest, AFailedTlsHandshakeIsUnavailable) {
  HttpTestServer server({0});
  auto h = Make("https://127.0.0.1:" + std::to_string(server.port()) + "/", "", "raw", 500);
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kUnavailable);
  EXPECT_FALSE(r.error.empty());
}

TEST(WebhookTest, ChatFormatSendsACompactText) {
  HttpTestServer server({200, 200, 200});
  auto h = Make(Url(server), "", "chat");
  ASSERT_EQ(h->Deliver(Record(), "{}").outcome, DeliveryOutcome::kDelivered);
  storage::EventRecord removed = Record();
  removed.name = "ObjectRemoved:Delete";
  ASSERT_EQ(h->Deliver(removed, "{}").outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(h->Deliver(TestEventRecord("photos", 0), "{}").outcome, DeliveryOutcome::kDelivered);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(BodyOf(reqs[0])),
            nlohmann::json({{"text", "ObjectCreated:Put s3://photos/cats/tom.jpg (1234 bytes)"}}));
  EXPECT_EQ(nlohmann::json::parse(BodyOf(reqs[1]))["text"],
            "ObjectRemoved:Delete s3://photos/cats/tom.jpg");
  EXPECT_EQ(nlohmann::json::parse(BodyOf(reqs[2]))["text"], "s3:TestEvent for bucket photos");
  EXPECT_NE(reqs[2].find("X-Kumo-Event-Sequence: 0\r\n"), std::string::npos);
}

TEST(WebhookTest, CreateChecksTheConfiguration) {
  auto bad = [](WebhookConfig c) { return Create(c).status(); };
  EXPECT_TRUE(bad({"a", "ftp://x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "not a url", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://u:p@x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://x/", "", "xml", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a b", "http://x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://x/", "", "raw", 0}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "https://example.com/", "", "chat", 1}).ok());
  Status s = bad({"alerts", "http://x/", "", "xml", 1});
  EXPECT_EQ(s.message().rfind("webhook target 'alerts': ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("format must be \"raw\" or \"chat\""), std::string::npos);
}

TEST(WebhookTest, NamesAndEndpointsReachTheReceiver) {
  HttpTestServer server({200});
  auto h = Make("http://127.0.0.1:" + std::to_string(server.port()) + "/a%20b?x=1");
  EXPECT_EQ(h->name(), "webhook:alerts");
  EXPECT_EQ(h->arn(), "arn:kumo:sqs::alerts:webhook");
  ASSERT_EQ(h->Deliver(Record(), "{}").outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(server.requests()[0].rfind("POST /a%20b?x=1 HTTP/1.1\r\n", 0), 0u);
}

}  // namespace
}  // namespace kumo::events
