// Fuzzes SigV4 verification of presigned URLs (ParseQuery, VerifyPresigned: the X-Amz-*
// parameters, X-Amz-Expires, the credential and date checks).
//
// Two parts per input:
//  1. an arbitrary query string (and headers) is verified: no crash, and an accepted
//     request carries every X-Amz-* parameter;
//  2. a URL presigned with PresignQuery from the input is verified at a time within its
//     lifetime (it must verify), just after it (kExpiredRequest), and with a changed
//     signature (kSignatureDoesNotMatch).
#include <cstdint>
#include <string>

#include "../unit/auth/test_util.h"
#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "fuzz_util.h"

namespace {

using kumo::ErrorCode;
using kumo::HttpRequest;

using kumo::auth::authtest::kAccessKey;
using kumo::auth::authtest::kSecret;
using kumo::auth::authtest::MapCredentials;
constexpr int64_t kNow = kumo::auth::authtest::kExampleTime;

void AddHeaders(FuzzedDataProvider& in, HttpRequest* r, size_t max) {
  size_t n = in.ConsumeIntegralInRange<size_t>(0, max);
  for (size_t i = 0; i < n; ++i) {
    std::string name = kumo::fuzz::ConsumeHeaderName(in);
    if (name == "authorization") continue;  // header auth is fuzz_sigv4_header's
    r->headers.emplace_back(name, kumo::fuzz::ConsumeHeaderValue(in, 64));
  }
}

void VerifyArbitrary(FuzzedDataProvider& in) {
  HttpRequest r;
  r.method = "GET";
  r.raw_path = "/" + in.ConsumeRandomLengthString(32);
  r.headers.emplace_back("host", "localhost");
  AddHeaders(in, &r, 4);
  r.raw_query = in.ConsumeRemainingBytesAsString();
  MapCredentials creds;  // the example key pair
  kumo::auth::VerifyOptions options;
  options.now_unix = kNow;
  auto ctx = kumo::auth::VerifyRequest(r, creds, options);
  if (!ctx.ok()) return;
  auto query = kumo::ParseQuery(r.raw_query);
  KUMO_FUZZ_CHECK(query.has_value());
  for (const char* name : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                           "X-Amz-SignedHeaders", "X-Amz-Signature"}) {
    bool found = false;
    for (const auto& [n, v] : *query) found = found || n == name;
    KUMO_FUZZ_CHECK(found);
  }
}

void PresignAndVerify(FuzzedDataProvider& in) {
  HttpRequest r;
  r.method = in.ConsumeBool() ? "GET" : "PUT";
  r.raw_path = "/" + in.ConsumeRandomLengthString(64);
  r.headers.emplace_back("host", kumo::fuzz::ConsumeHeaderValue(in, 32));
  AddHeaders(in, &r, 4);
  // The URL's own query. It must parse, and the verifier reads the first of each
  // X-Amz-* parameter PresignQuery appends: the URL's own would shadow them.
  std::string own = in.ConsumeRandomLengthString(64);
  auto own_query = kumo::ParseQuery(own);
  bool own_ok = own_query.has_value();
  for (const auto& [name, value] : own_query.value_or(kumo::StringPairs{})) {
    for (const char* p : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                          "X-Amz-SignedHeaders", "X-Amz-Signature"}) {
      own_ok = own_ok && name != p;
    }
  }
  r.raw_query = own;

  kumo::auth::SignInput input;
  input.access_key = kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kAlnum, 24);
  if (input.access_key.empty()) input.access_key = kAccessKey;
  input.secret_key = in.ConsumeRandomLengthString(48);
  input.region = kumo::fuzz::ConsumeFrom(in, "abcdefghijklmnopqrstuvwxyz0123456789-", 16);
  if (input.region.empty()) input.region = "us-east-1";
  int64_t when = in.ConsumeIntegralInRange<int64_t>(0, 253402300799 - 8 * 24 * 3600);
  input.amz_date = kumo::auth::internal::FormatAmzDate(when);
  int64_t expires = in.ConsumeIntegralInRange<int64_t>(1, 7 * 24 * 3600);
  r.raw_query = kumo::auth::PresignQuery(r, input, expires);

  // A payload the verifier refuses makes the request invalid whatever the signature.
  bool payload_ok = true;
  if (const std::string* sha = r.Header("x-amz-content-sha256")) {
    kumo::auth::AuthContext probe;
    payload_ok = kumo::auth::internal::ParsePayloadMode(*sha, &probe).ok();
  }
  MapCredentials creds;
  creds.Add(input.access_key, input.secret_key);
  kumo::auth::VerifyOptions options;
  options.now_unix = when + in.ConsumeIntegralInRange<int64_t>(0, expires);
  auto ctx = kumo::auth::VerifyRequest(r, creds, options);
  if (!payload_ok) KUMO_FUZZ_CHECK(!ctx.ok());
  if (!own_ok || !payload_ok) return;
  if (!ctx.ok()) {
    std::fprintf(stderr, "presigned request refused: %s\n", ctx.status().ToString().c_str());
  }
  KUMO_FUZZ_CHECK(ctx.ok());
  KUMO_FUZZ_CHECK(ctx->access_key == input.access_key);

  options.now_unix = when + expires + 1;
  KUMO_FUZZ_CHECK(
      kumo::auth::VerifyRequest(r, creds, options).status().Is(ErrorCode::kExpiredRequest));

  options.now_unix = when;
  std::string& q = r.raw_query;
  size_t at = q.size() - 1 - in.ConsumeIntegralInRange<size_t>(0, 63);
  q[at] = q[at] == '0' ? '1' : '0';
  KUMO_FUZZ_CHECK(
      kumo::auth::VerifyRequest(r, creds, options).status().Is(ErrorCode::kSignatureDoesNotMatch));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) {
    VerifyArbitrary(in);
  } else {
    PresignAndVerify(in);
  }
  return 0;
}
