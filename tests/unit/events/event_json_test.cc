// RenderEventJson against a reference built with nlohmann::json (the renderer's former
// implementation): the same document for plain and hostile field values.
#include "events/event_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/http_request.h"
#include "common/time_util.h"

namespace kumo::events {
namespace {

nlohmann::json Reference(const storage::EventRecord& r, const std::string& id,
                         const std::string& region, const std::string& encoded_key) {
  nlohmann::json object = {{"key", encoded_key}, {"sequencer", Sequencer(r.seq)}};
  if (r.name.rfind("ObjectCreated:", 0) == 0) {
    object["size"] = r.size;
    object["eTag"] = r.etag;
  }
  nlohmann::json kumo = {{"sequence", r.seq}, {"depth", r.depth}};
  if (r.parent_seq != 0) kumo["parentSequence"] = r.parent_seq;
  nlohmann::json record = {
      {"eventVersion", "2.1"},
      {"eventSource", "kumo:s3"},
      {"awsRegion", region},
      {"eventTime", FormatIso8601Millis(r.time_ms)},
      {"eventName", r.name},
      {"userIdentity", {{"principalId", r.principal}}},
      {"requestParameters", {{"sourceIPAddress", r.source_ip}}},
      {"responseElements", {{"x-amz-request-id", r.request_id}, {"x-amz-id-2", r.request_id}}},
      {"s3",
       {{"s3SchemaVersion", "1.0"},
        {"configurationId", id},
        {"bucket",
         {{"name", r.bucket},
          {"ownerIdentity", {{"principalId", r.principal}}},
          {"arn", "arn:aws:s3:::" + r.bucket}}},
        {"object", object}}},
      {"kumo", kumo}};
  return {{"Records", nlohmann::json::array({record})}};
}

storage::EventRecord Record() {
  storage::EventRecord r;
  r.seq = 4242;
  r.time_ms = 1764400000123;
  r.name = "ObjectCreated:Put";
  r.bucket = "photos";
  r.key = "cats/tom.jpg";
  r.size = 1234;
  r.etag = "0123456789abcdef0123456789abcdef";
  r.request_id = "0123456789ABCDEF";
  r.principal = "AKIAEXAMPLE";
  r.source_ip = "127.0.0.1";
  return r;
}

TEST(EventJsonTest, MatchesTheReferenceDocument) {
  storage::EventRecord r = Record();
  auto got = nlohmann::json::parse(RenderEventJson(r, "rule-1", "us-east-1"));
  EXPECT_EQ(got, Reference(r, "rule-1", "us-east-1", "cats/tom.jpg"));
}

TEST(EventJsonTest, RemovalsHaveNoSizeAndChildrenTheirParent) {
  storage::EventRecord r = Record();
  r.name = "ObjectRemoved:Delete";
  r.parent_seq = 17;
  r.depth = 3;
  auto got = nlohmann::json::parse(RenderEventJson(r, "", "eu-west-1"));
  EXPECT_EQ(got, Reference(r, "", "eu-west-1", "cats/tom.jpg"));
  EXPECT_FALSE(got["Records"][0]["s3"]["object"].contains("size"));
  EXPECT_EQ(got["Records"][0]["kumo"]["parentSequence"], 17);
}

TEST(EventJsonTest, EscapesEveryStringField) {
  storage::EventRecord r = Record();
  r.key = "a \"quoted\" key\\with/ünïcödé + space";
  r.principal = "p\"\\\n\t\x01";
  r.request_id = "id\x1f";
  r.bucket = "b";
  const std::string id = "rule \"x\" \\ \b\f\r";
  const std::string text = RenderEventJson(r, id, "r\"egion");
  auto got = nlohmann::json::parse(text);  // well-formed
  EXPECT_EQ(got, Reference(r, id, "r\"egion", got["Records"][0]["s3"]["object"]["key"]));
  // S3 form-encodes keys: spaces become '+', and '+' itself %2B.
  EXPECT_EQ(got["Records"][0]["s3"]["object"]["key"],
            "a+%22quoted%22+key%5Cwith/%C3%BCn%C3%AFc%C3%B6d%C3%A9+%2B+space");
  // Compact, with the configuration id where the function host looks for it.
  EXPECT_EQ(text.find("\": "), std::string::npos);
  EXPECT_NE(text.find("\"configurationId\":\"rule \\\"x\\\""), std::string::npos);
}

TEST(EventJsonTest, AppendJsonStringEscapesControlCharacters) {
  std::string out;
  AppendJsonString(&out, std::string("a\0b\x7f", 4));
  EXPECT_EQ(out, std::string("\"a\\u0000b\x7f\""));
}


// Every field of an event may carry bytes that are no UTF-8 (a key written by a plugin,
// a principal, a rule id from XML): the document must still be JSON a strict parser reads.
TEST(EventJsonTest, AnyBytesYieldValidJson) {
  storage::EventRecord r;
  r.seq = 9;
  r.name = "ObjectCreated:Put";
  r.bucket = "b";
  r.key = std::string("k\xC3\0\xFF", 4);
  r.principal = "p\xE2\x82";
  r.source_ip = "\xED\xA0\x80";
  const std::string json = RenderEventJson(r, "rule\xC0\xAF", "us-east-1");
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(doc.is_discarded()) << json;
  EXPECT_EQ(doc["Records"][0]["userIdentity"]["principalId"], "p\xEF\xBF\xBD");
  EXPECT_EQ(doc["Records"][0]["s3"]["configurationId"], "rule\xEF\xBF\xBD\xEF\xBF\xBD");
  // The key is URL-encoded, so it stays exact.
  EXPECT_EQ(*UrlDecode(doc["Records"][0]["s3"]["object"]["key"].get<std::string>(), true), r.key);
  std::string s;
  AppendJsonString(&s, "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(s, "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");  // well-formed text passes unchanged
}

}  // namespace
}  // namespace kumo::events
