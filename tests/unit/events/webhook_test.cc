// WebhookHandler against a loopback receiver: the request it sends (headers, body,
// HMAC signature), how responses map to outcomes, timeouts, and configuration checks.
#include "events/webhook.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "events/test_event.h"
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

std::unique_ptr<WebhookHandler> Make(const std::string& endpoint, const std::string& secret = "",
                                     const std::string& format = "raw", int timeout_ms = 5000) {
  auto h = WebhookHandler::Create({"alerts", endpoint, secret, format, timeout_ms});
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(h).value() : nullptr;
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
  EXPECT_NE(req.find("X-Kumo-Signature: " + WebhookSignature("s3cret", payload) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(req.substr(req.find("\r\n\r\n") + 4), payload);
}

TEST(WebhookTest, SignatureIsHexHmacSha256) {
  EXPECT_EQ(WebhookSignature("key", "The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(WebhookTest, NoSecretNoSignature) {
  HttpTestServer server({200});
  auto h = Make(Url(server));
  EXPECT_EQ(h->Deliver(Record(), "{}").outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(server.requests()[0].find("X-Kumo-Signature"), std::string::npos);
}

TEST(WebhookTest, ResponsesMapToOutcomes) {
  EXPECT_EQ(ClassifyHttpStatus(200), DeliveryOutcome::kDelivered);
  EXPECT_EQ(ClassifyHttpStatus(299), DeliveryOutcome::kDelivered);
  EXPECT_EQ(ClassifyHttpStatus(0), DeliveryOutcome::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(408), DeliveryOutcome::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(429), DeliveryOutcome::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(503), DeliveryOutcome::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(400), DeliveryOutcome::kPermanent);
  EXPECT_EQ(ClassifyHttpStatus(404), DeliveryOutcome::kPermanent);
  EXPECT_EQ(ClassifyHttpStatus(301), DeliveryOutcome::kPermanent);

  HttpTestServer server({500, 404});
  auto h = Make(Url(server));
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kRetryable);
  EXPECT_NE(r.error.find("HTTP 500"), std::string::npos) << r.error;
  r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kPermanent);
  EXPECT_NE(r.error.find("HTTP 404: nope"), std::string::npos) << r.error;
}

TEST(WebhookTest, ATimeoutIsRetryable) {
  HttpTestServer server({0});
  auto h = Make(Url(server), "", "raw", 300);
  auto start = std::chrono::steady_clock::now();
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(r.outcome, DeliveryOutcome::kRetryable);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}

TEST(WebhookTest, ConnectionRefusedIsRetryable) {
  int port = 0;
  { port = HttpTestServer({}).port(); }  // a port nobody listens on any more
  auto h = Make("http://127.0.0.1:" + std::to_string(port) + "/", "", "raw", 1000);
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kRetryable);
  EXPECT_FALSE(r.error.empty());
}

TEST(WebhookTest, TlsToAPlainServerFailsRetryably) {
  HttpTestServer server({0});
  auto h = Make("https://127.0.0.1:" + std::to_string(server.port()) + "/", "", "raw", 500);
  DeliveryResult r = h->Deliver(Record(), "{}");
  EXPECT_EQ(r.outcome, DeliveryOutcome::kRetryable);
  EXPECT_FALSE(r.error.empty());
}

TEST(WebhookTest, ChatFormatSendsACompactText) {
  auto h = Make("http://127.0.0.1:1/", "", "chat");
  auto body = nlohmann::json::parse(h->Body(Record(), "{}"));
  EXPECT_EQ(body,
            nlohmann::json({{"text", "ObjectCreated:Put s3://photos/cats/tom.jpg (1234 bytes)"}}));
  storage::EventRecord removed = Record();
  removed.name = "ObjectRemoved:Delete";
  EXPECT_EQ(nlohmann::json::parse(h->Body(removed, "{}"))["text"],
            "ObjectRemoved:Delete s3://photos/cats/tom.jpg");
  EXPECT_EQ(nlohmann::json::parse(h->Body(TestEventRecord("photos", 0), "{}"))["text"],
            "s3:TestEvent for bucket photos");
  EXPECT_EQ(Make("http://127.0.0.1:1/")->Body(Record(), "{\"raw\":1}"), "{\"raw\":1}");
}

TEST(WebhookTest, CreateChecksTheConfiguration) {
  auto bad = [](WebhookConfig c) { return WebhookHandler::Create(std::move(c)).status(); };
  EXPECT_TRUE(bad({"a", "ftp://x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "not a url", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://u:p@x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://x/", "", "xml", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a b", "http://x/", "", "raw", 1}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "http://x/", "", "raw", 0}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(bad({"a", "https://example.com/", "", "chat", 1}).ok());
}

TEST(WebhookTest, ParsesEndpoints) {
  auto e = ParseHttpEndpoint("http://127.0.0.1:8080/hook?x=1");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->tls);
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, "8080");
  EXPECT_EQ(e->target, "/hook?x=1");
  e = ParseHttpEndpoint("https://hooks.example.com");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->tls);
  EXPECT_EQ(e->port, "443");
  EXPECT_EQ(e->target, "/");
  e = ParseHttpEndpoint("http://[::1]:9/a%20b");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->target, "/a%20b");
}

}  // namespace
}  // namespace kumo::events
