#include "events/event_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/http_request.h"
#include "common/time_util.h"

namespace kumo::events {

namespace {
// S3 encodes keys in event messages like an HTML form: spaces become '+'.
std::string EncodeEventKey(std::string_view key) {
  std::string encoded = UrlEncode(key, /*keep_slash=*/true);
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "%20") == 0) {
      out.push_back('+');
      i += 2;
    } else {
      out.push_back(encoded[i]);
    }
  }
  return out;
}
}  // namespace

std::string Sequencer(uint64_t seq) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llX", static_cast<unsigned long long>(seq));
  return buf;
}

std::string RenderEventJson(const storage::EventRecord& r, std::string_view configuration_id,
                            std::string_view region) {
  nlohmann::json object = {{"key", EncodeEventKey(r.key)}, {"sequencer", Sequencer(r.seq)}};
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
        {"configurationId", configuration_id},
        {"bucket",
         {{"name", r.bucket},
          {"ownerIdentity", {{"principalId", r.principal}}},
          {"arn", "arn:aws:s3:::" + r.bucket}}},
        {"object", object}}},
      {"kumo", kumo}};
  return nlohmann::json{{"Records", nlohmann::json::array({record})}}.dump();
}

std::string RenderTestEventJson(std::string_view bucket, std::string_view request_id,
                                int64_t time_ms) {
  return nlohmann::json{
      {"Service", "Amazon S3"}, {"Event", "s3:TestEvent"}, {"Time", FormatIso8601Millis(time_ms)},
      {"Bucket", bucket},       {"RequestId", request_id}, {"HostId", request_id}}
      .dump();
}

}  // namespace kumo::events
