// Fuzzes SigV4 verification through the Authorization header (ParseAuthorization,
// ParseCredential, SplitSignedHeaders, the date headers, ParsePayloadMode,
// CanonicalRequest).
//
// Two parts per input:
//  1. an arbitrary request (Authorization and other headers from the input) is verified:
//     it must not crash, and a SignedHeaders list the verifier accepts is well formed;
//  2. a request built from the input is signed with SignRequest and verified: the
//     signer and the verifier must agree (the request verifies, as the signer's
//     identity and payload mode), and any change to the signature must be refused.
#include <cstdint>
#include <string>

#include "../unit/auth/test_util.h"
#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "fuzz_util.h"

namespace {

using kumo::ErrorCode;
using kumo::HttpRequest;
using kumo::auth::AuthContext;
using kumo::auth::PayloadMode;

using kumo::auth::authtest::kAccessKey;
using kumo::auth::authtest::kSecret;
using kumo::auth::authtest::MapCredentials;
constexpr int64_t kNow = kumo::auth::authtest::kExampleTime;

std::string ConsumePayloadHash(FuzzedDataProvider& in) {
  static constexpr const char* kModes[] = {"UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                                           "STREAMING-UNSIGNED-PAYLOAD-TRAILER"};
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:
      return kModes[in.ConsumeIntegralInRange<size_t>(0, std::size(kModes) - 1)];
    case 1:  // a SHA-256, maybe with upper-case digits
    {
      std::string hex = kumo::fuzz::ConsumeFrom(in, "0123456789abcdefABCDEF", 64);
      hex.resize(64, 'a');
      return hex;
    }
    default:
      return in.ConsumeRandomLengthString(80);
  }
}

// Part 1: whatever the input says.
void VerifyArbitrary(FuzzedDataProvider& in) {
  HttpRequest r;
  r.method = in.ConsumeRandomLengthString(8);
  r.raw_path = in.ConsumeRandomLengthString(64);
  r.raw_query = in.ConsumeRandomLengthString(64);
  r.headers.emplace_back("authorization", kumo::fuzz::ConsumeHeaderValue(in, 512));
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < n; ++i) {
    std::string name = kumo::fuzz::ConsumeHeaderName(in);
    r.headers.emplace_back(name, kumo::fuzz::ConsumeHeaderValue(in, 128));
  }
  MapCredentials creds;  // the example key pair
  kumo::auth::VerifyOptions options;
  options.now_unix = kNow;
  auto ctx = kumo::auth::VerifyRequest(r, creds, options);
  (void)ctx;

  std::string list = in.ConsumeRandomLengthString(128);
  std::vector<std::string_view> names;
  if (kumo::auth::internal::SplitSignedHeaders(list, &names).empty()) {
    KUMO_FUZZ_CHECK(!names.empty() && names.size() <= kumo::auth::internal::kMaxSignedHeaders);
    bool host = false;
    for (size_t i = 0; i < names.size(); ++i) {
      KUMO_FUZZ_CHECK(!names[i].empty());
      KUMO_FUZZ_CHECK(names[i].find(';') == std::string_view::npos);
      KUMO_FUZZ_CHECK(i == 0 || names[i - 1] < names[i]);
      host = host || names[i] == "host";
    }
    KUMO_FUZZ_CHECK(host);
  }
  kumo::auth::internal::Credential cred;
  std::string text = in.ConsumeRandomLengthString(128);
  if (kumo::auth::internal::ParseCredential(text, &cred).empty()) {
    KUMO_FUZZ_CHECK(!cred.access_key.empty() && cred.date.size() == 8 && !cred.region.empty());
    KUMO_FUZZ_CHECK(cred.access_key + "/" + cred.Scope() == text);
  }
}

// Part 2: sign, then verify.
void SignAndVerify(FuzzedDataProvider& in) {
  static constexpr const char* kMethods[] = {"GET", "PUT", "POST", "HEAD", "DELETE"};
  HttpRequest r;
  r.method = kMethods[in.ConsumeIntegralInRange<size_t>(0, std::size(kMethods) - 1)];
  r.raw_path = "/" + in.ConsumeRandomLengthString(64);
  r.raw_query = in.ConsumeRandomLengthString(64);
  r.headers.emplace_back("host", kumo::fuzz::ConsumeHeaderValue(in, 32));
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 6);
  for (size_t i = 0; i < n; ++i) {
    std::string name = kumo::fuzz::ConsumeHeaderName(in);
    r.headers.emplace_back(name, kumo::fuzz::ConsumeHeaderValue(in, 64));
  }
  kumo::auth::SignInput input;
  input.access_key = kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kAlnum, 24);
  if (input.access_key.empty()) input.access_key = kAccessKey;
  input.secret_key = in.ConsumeRandomLengthString(48);
  input.region = kumo::fuzz::ConsumeFrom(in, "abcdefghijklmnopqrstuvwxyz0123456789-", 16);
  if (input.region.empty()) input.region = "us-east-1";
  // Any second of years 1970 to 9999.
  int64_t when = in.ConsumeIntegralInRange<int64_t>(0, 253402300799);
  input.amz_date = kumo::auth::internal::FormatAmzDate(when);
  input.payload_sha256 = ConsumePayloadHash(in);
  kumo::auth::SignRequest(r, input);

  auto query = kumo::ParseQuery(r.raw_query);
  bool presign_params = false;
  for (const auto& [name, value] : query.value_or(kumo::StringPairs{})) {
    presign_params = presign_params || name == "X-Amz-Credential" || name == "X-Amz-Algorithm";
  }
  auto expected_mode = [&]() -> std::optional<PayloadMode> {
    AuthContext probe;
    if (!kumo::auth::internal::ParsePayloadMode(input.payload_sha256, &probe).ok()) {
      return std::nullopt;
    }
    return probe.payload;
  }();

  MapCredentials creds;
  creds.Add(input.access_key, input.secret_key);
  kumo::auth::VerifyOptions options;
  options.now_unix = when;
  auto ctx = kumo::auth::VerifyRequest(r, creds, options);
  if (!query || presign_params || !expected_mode) {
    KUMO_FUZZ_CHECK(!ctx.ok());
    return;
  }
  if (!ctx.ok()) {
    std::fprintf(stderr, "signed request refused: %s\n", ctx.status().ToString().c_str());
  }
  KUMO_FUZZ_CHECK(ctx.ok());
  KUMO_FUZZ_CHECK(ctx->access_key == input.access_key);
  KUMO_FUZZ_CHECK(ctx->payload == *expected_mode);

  // Change one hex digit of the signature: refused.
  std::string& auth = r.headers.back().second;
  size_t at = auth.size() - 1 - in.ConsumeIntegralInRange<size_t>(0, 63);
  auth[at] = auth[at] == '0' ? '1' : '0';
  auto tampered = kumo::auth::VerifyRequest(r, creds, options);
  KUMO_FUZZ_CHECK(tampered.status().Is(ErrorCode::kSignatureDoesNotMatch));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) {
    VerifyArbitrary(in);
  } else {
    SignAndVerify(in);
  }
  return 0;
}
