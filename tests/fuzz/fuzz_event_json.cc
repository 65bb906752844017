// Fuzzes the S3 event message renderer (RenderEventJson, AppendJsonString,
// RenderTestEventJson) with arbitrary bytes in every string of the record: keys written
// by functions, principals, request ids, ARN-derived ids. Invariants: the output is
// always valid JSON (nlohmann::json::parse accepts it), and valid UTF-8 strings come
// back unchanged.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/utf8.h"
#include "events/event_json.h"
#include "fuzz_util.h"

namespace {

nlohmann::json ParseOrDie(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::fprintf(stderr, "invalid JSON: %s\n", text.c_str());
    std::abort();
  }
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  kumo::storage::EventRecord r;
  r.seq = in.ConsumeIntegral<uint64_t>();
  r.time_ms = in.ConsumeIntegral<int64_t>();
  r.size = in.ConsumeIntegral<uint64_t>();
  r.parent_seq = in.ConsumeIntegral<uint64_t>();
  r.depth = in.ConsumeIntegral<uint32_t>();
  r.name = in.ConsumeBool() ? "ObjectCreated:Put" : in.ConsumeRandomLengthString(32);
  r.bucket = in.ConsumeRandomLengthString(64);
  r.etag = in.ConsumeRandomLengthString(40);
  r.request_id = in.ConsumeRandomLengthString(32);
  r.principal = in.ConsumeRandomLengthString(32);
  r.source_ip = in.ConsumeRandomLengthString(32);
  std::string configuration_id = in.ConsumeRandomLengthString(32);
  std::string region = in.ConsumeRandomLengthString(16);
  r.key = in.ConsumeRemainingBytesAsString();

  nlohmann::json j = ParseOrDie(kumo::events::RenderEventJson(r, configuration_id, region));
  const nlohmann::json& rec = j["Records"][0];
  if (kumo::IsValidUtf8(r.bucket)) KUMO_FUZZ_CHECK(rec["s3"]["bucket"]["name"] == r.bucket);
  if (kumo::IsValidUtf8(r.principal)) {
    KUMO_FUZZ_CHECK(rec["userIdentity"]["principalId"] == r.principal);
  }
  if (kumo::IsValidUtf8(configuration_id)) {
    KUMO_FUZZ_CHECK(rec["s3"]["configurationId"] == configuration_id);
  }
  KUMO_FUZZ_CHECK(rec["kumo"]["sequence"] == r.seq);
  KUMO_FUZZ_CHECK(rec["s3"]["object"]["sequencer"] == kumo::events::Sequencer(r.seq));

  for (const std::string* s : {&r.key, &r.name, &r.etag, &region}) {
    std::string out;
    kumo::events::AppendJsonString(&out, *s);
    nlohmann::json str = ParseOrDie(out);
    KUMO_FUZZ_CHECK(str.is_string());
    if (kumo::IsValidUtf8(*s)) {
      KUMO_FUZZ_CHECK(str.get<std::string>() == *s);
    } else {
      KUMO_FUZZ_CHECK(str.get<std::string>() == kumo::MakeValidUtf8(*s));
    }
  }
  // Built with nlohmann, which throws on invalid UTF-8: the callers pass valid strings.
  if (kumo::IsValidUtf8(r.bucket) && kumo::IsValidUtf8(r.request_id)) {
    ParseOrDie(kumo::events::RenderTestEventJson(r.bucket, r.request_id, r.time_ms));
  }
  return 0;
}
