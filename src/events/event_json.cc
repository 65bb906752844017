#include "events/event_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/http_request.h"
#include "common/time_util.h"
#include "common/utf8.h"

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

// Renders the message by hand: it is built for every event and handler, and with
// nlohmann::json (a std::map per object) it cost the dispatcher more than a no-op
// function's whole delivery. The output is compact JSON, as dump() gives.
std::string RenderEventJson(const storage::EventRecord& r, std::string_view configuration_id,
                            std::string_view region) {
  std::string out;
  out.reserve(640 + 2 * r.key.size() + 3 * r.bucket.size());
  auto field = [&out](std::string_view name, std::string_view value) {
    out.append("\"").append(name).append("\":");
    AppendJsonString(&out, value);
  };
  auto number = [&out](std::string_view name, uint64_t value) {
    out.append("\"").append(name).append("\":").append(std::to_string(value));
  };
  out.append("{\"Records\":[{");
  field("eventVersion", "2.1");
  out.push_back(',');
  field("eventSource", "kumo:s3");
  out.push_back(',');
  field("awsRegion", region);
  out.push_back(',');
  field("eventTime", FormatIso8601Millis(r.time_ms));
  out.push_back(',');
  field("eventName", r.name);
  out.append(",\"userIdentity\":{");
  field("principalId", r.principal);
  out.append("},\"requestParameters\":{");
  field("sourceIPAddress", r.source_ip);
  out.append("},\"responseElements\":{");
  field("x-amz-request-id", r.request_id);
  out.push_back(',');
  field("x-amz-id-2", r.request_id);
  out.append("},\"s3\":{");
  field("s3SchemaVersion", "1.0");
  out.push_back(',');
  field("configurationId", configuration_id);
  out.append(",\"bucket\":{");
  field("name", r.bucket);
  out.append(",\"ownerIdentity\":{");
  field("principalId", r.principal);
  out.append("},");
  field("arn", std::string("arn:aws:s3:::").append(r.bucket));
  out.append("},\"object\":{");
  field("key", EncodeEventKey(r.key));
  out.push_back(',');
  field("sequencer", Sequencer(r.seq));
  if (r.name.rfind("ObjectCreated:", 0) == 0) {
    out.push_back(',');
    number("size", r.size);
    out.push_back(',');
    field("eTag", r.etag);
  }
  out.append("}},\"kumo\":{");
  number("sequence", r.seq);
  out.push_back(',');
  number("depth", r.depth);
  if (r.parent_seq != 0) {
    out.push_back(',');
    number("parentSequence", r.parent_seq);
  }
  out.append("}}]}");
  return out;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // Runs of characters that need no escape (nearly all of them) are appended at once.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (c != '"' && c != '\\' && u >= 0x20 && u < 0x80) continue;
    if (u >= 0x80) {
      // Well-formed UTF-8 passes through, as dump() writes it; anything else (a reason
      // cut inside a character, a key a function wrote) becomes U+FFFD, so the document
      // stays valid JSON whatever bytes it carries.
      size_t invalid = 0;
      size_t len = Utf8Char(s.substr(i), &invalid);
      if (len > 0) {
        i += len - 1;
        continue;
      }
      out->append(s.data() + run, i - run);
      out->append("\xEF\xBF\xBD");
      i += invalid - 1;
      run = i + 1;
      continue;
    }
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
      case '\\':
        out->push_back('\\');
        out->push_back(c);
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 0xF]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

std::string RenderTestEventJson(std::string_view bucket, std::string_view request_id,
                                int64_t time_ms) {
  return nlohmann::json{
      {"Service", "Amazon S3"}, {"Event", "s3:TestEvent"}, {"Time", FormatIso8601Millis(time_ms)},
      {"Bucket", bucket},       {"RequestId", request_id}, {"HostId", request_id}}
      .dump();
}

}  // namespace kumo::events
