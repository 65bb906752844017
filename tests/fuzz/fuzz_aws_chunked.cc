// Fuzzes the aws-chunked decoder (AwsChunkedDecoder) in its three streaming modes: signed
// chunks, signed chunks with a signed trailer section, unsigned chunks with trailers.
//
// Two parts per input:
//  1. arbitrary bytes are decoded whole and again in fuzzer-chosen pieces: both decodes
//     reach the same status and the same output, which never exceeds the input, and
//     decoded_bytes() counts exactly what reached the sink;
//  2. a body encoded (and signed, for the signed modes) from the input's chunks and
//     trailers decodes, in any pieces, to exactly those chunks and trailers.
#include <cstdint>
#include <string>
#include <vector>

#include "auth/aws_chunked.h"
#include "common/hash.h"
#include "fuzz_util.h"

namespace {

using kumo::Status;
using kumo::auth::AuthContext;
using kumo::auth::AwsChunkedDecoder;
using kumo::auth::PayloadMode;

struct Decoded {
  Status status;
  std::string output;
  uint64_t decoded_bytes = 0;
  kumo::StringPairs trailers;
};

// Feeds body in pieces of the given sizes (the rest in one piece), then finishes.
Decoded Decode(const AuthContext& ctx, std::string_view body, const std::vector<size_t>& pieces) {
  Decoded d;
  AwsChunkedDecoder decoder(ctx, [&](std::string_view data) {
    d.output.append(data);
    return Status::OK();
  });
  Status s;
  for (size_t n : pieces) {
    if (!s.ok() || body.empty()) break;
    n = std::min(n, body.size());
    s = decoder.Feed(body.substr(0, n));
    body.remove_prefix(n);
  }
  if (s.ok() && !body.empty()) s = decoder.Feed(body);
  if (s.ok()) s = decoder.Finish();
  d.status = s;
  d.decoded_bytes = decoder.decoded_bytes();
  d.trailers = decoder.trailers();
  return d;
}

AuthContext ContextFor(PayloadMode mode) {
  AuthContext ctx;
  ctx.payload = mode;
  ctx.access_key = "AKIAIOSFODNN7EXAMPLE";
  ctx.amz_date = "20130524T000000Z";
  ctx.scope = "20130524/us-east-1/s3/aws4_request";
  ctx.signing_key = std::string(32, '\x42');
  ctx.seed_signature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  return ctx;
}

std::vector<size_t> ConsumePieces(FuzzedDataProvider& in) {
  std::vector<size_t> pieces(in.ConsumeIntegralInRange<size_t>(0, 16));
  for (size_t& n : pieces) n = in.ConsumeIntegralInRange<size_t>(1, 64);
  return pieces;
}

bool IsSigned(PayloadMode m) {
  return m == PayloadMode::kStreamingSigned || m == PayloadMode::kStreamingSignedTrailer;
}
bool HasTrailer(PayloadMode m) {
  return m == PayloadMode::kStreamingSignedTrailer || m == PayloadMode::kStreamingUnsignedTrailer;
}

void DecodeArbitrary(FuzzedDataProvider& in, PayloadMode mode) {
  AuthContext ctx = ContextFor(mode);
  std::vector<size_t> pieces = ConsumePieces(in);
  std::string body = in.ConsumeRemainingBytesAsString();
  Decoded whole = Decode(ctx, body, {});
  Decoded split = Decode(ctx, body, pieces);
  KUMO_FUZZ_CHECK(whole.status.code() == split.status.code());
  KUMO_FUZZ_CHECK(whole.output == split.output);
  KUMO_FUZZ_CHECK(whole.trailers == split.trailers);
  KUMO_FUZZ_CHECK(whole.output.size() == whole.decoded_bytes);
  KUMO_FUZZ_CHECK(split.output.size() == split.decoded_bytes);
  KUMO_FUZZ_CHECK(whole.output.size() <= body.size());
}

std::string Hex(uint64_t n, bool upper) {
  static constexpr char kLower[] = "0123456789abcdef", kUpper[] = "0123456789ABCDEF";
  std::string out;
  do {
    out.insert(out.begin(), (upper ? kUpper : kLower)[n % 16]);
    n /= 16;
  } while (n != 0);
  return out;
}

void EncodeAndDecode(FuzzedDataProvider& in, PayloadMode mode) {
  AuthContext ctx = ContextFor(mode);
  bool sign = IsSigned(mode);
  bool upper = in.ConsumeBool();
  std::string body, expected_output, previous = ctx.seed_signature;
  auto size_line = [&](std::string_view data) {
    body += Hex(data.size(), upper);
    if (sign) {
      std::string sig = kumo::auth::ChunkSignature(ctx, previous, kumo::Sha256Hex(data));
      body += ";chunk-signature=" + sig;
      previous = sig;
    } else if (in.ConsumeBool()) {
      body += ";ext=1";  // unsigned chunks may carry (ignored) extensions
    }
    body += "\r\n";
  };
  size_t chunks = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < chunks; ++i) {
    std::string data = in.ConsumeRandomLengthString(256);
    if (data.empty()) data = "x";
    size_line(data);
    body += data + "\r\n";
    expected_output += data;
  }
  size_line("");
  kumo::StringPairs expected_trailers;
  if (HasTrailer(mode)) {
    std::string text;
    size_t n = in.ConsumeIntegralInRange<size_t>(0, 16);
    for (size_t i = 0; i < n; ++i) {
      std::string name = kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kLowerToken, 32);
      if (name.empty() || name == "x-amz-trailer-signature") name = "x-amz-checksum-crc32";
      std::string value = kumo::fuzz::ConsumeHeaderValue(in, 64);
      body += name + ":" + value + "\r\n";
      text += name + ":" + value + "\n";
      expected_trailers.emplace_back(name, value);
    }
    if (sign) {
      body += "x-amz-trailer-signature:" +
              kumo::auth::TrailerSignature(ctx, previous, kumo::Sha256Hex(text)) + "\r\n";
    }
  }
  body += "\r\n";

  Decoded d = Decode(ctx, body, ConsumePieces(in));
  if (!d.status.ok()) std::fprintf(stderr, "decode: %s\n", d.status.ToString().c_str());
  KUMO_FUZZ_CHECK(d.status.ok());
  KUMO_FUZZ_CHECK(d.output == expected_output);
  KUMO_FUZZ_CHECK(d.decoded_bytes == expected_output.size());
  KUMO_FUZZ_CHECK(d.trailers == expected_trailers);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  static constexpr PayloadMode kModes[] = {PayloadMode::kStreamingSigned,
                                           PayloadMode::kStreamingSignedTrailer,
                                           PayloadMode::kStreamingUnsignedTrailer};
  PayloadMode mode = kModes[in.ConsumeIntegralInRange<size_t>(0, 2)];
  if (in.ConsumeBool()) {
    DecodeArbitrary(in, mode);
  } else {
    EncodeAndDecode(in, mode);
  }
  return 0;
}
