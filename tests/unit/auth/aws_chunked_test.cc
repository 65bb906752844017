#include "auth/aws_chunked.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "common/hash.h"
#include "test_util.h"

namespace kumo::auth {
namespace {

using namespace authtest;  // NOLINT: test fixtures

AuthContext ExampleContext(PayloadMode mode = PayloadMode::kStreamingSigned) {
  AuthContext ctx;
  ctx.access_key = kAccessKey;
  ctx.payload = mode;
  ctx.seed_signature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  ctx.signing_key = DeriveSigningKey(kSecret, "20130524", "us-east-1", "s3");
  ctx.amz_date = kAmzDate;
  ctx.scope = kScope;
  return ctx;
}

std::string Hex(size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%zx", n);
  return buf;
}

// Builds an aws-chunked body the way an SDK does, for the mode in ctx.
std::string Encode(const AuthContext& ctx, const std::vector<std::string>& chunks,
                   const StringPairs& trailers = {}) {
  bool is_signed = ctx.payload != PayloadMode::kStreamingUnsignedTrailer;
  std::string body, prev = ctx.seed_signature;
  std::vector<std::string> all = chunks;
  all.emplace_back();
  for (const std::string& data : all) {
    body += Hex(data.size());
    if (is_signed) {
      prev = ChunkSignature(ctx, prev, Sha256Hex(data));
      body += ";chunk-signature=" + prev;
    }
    body += "\r\n" + data;
    if (!data.empty()) body += "\r\n";
  }
  std::string trailer_text;
  for (const auto& [name, value] : trailers) {
    body += name + ":" + value + "\r\n";
    trailer_text += name + ":" + value + "\n";
  }
  if (ctx.payload == PayloadMode::kStreamingSignedTrailer) {
    body +=
        "x-amz-trailer-signature:" + TrailerSignature(ctx, prev, Sha256Hex(trailer_text)) + "\r\n";
  }
  return body + "\r\n";
}

struct Decoded {
  Status feed;
  Status finish;
  std::string data;
  StringPairs trailers;
};

// Feeds body in pieces of at most step bytes (0: all at once).
Decoded Decode(const AuthContext& ctx, std::string_view body, size_t step = 0) {
  Decoded out;
  AwsChunkedDecoder decoder(ctx, [&](std::string_view piece) {
    out.data.append(piece);
    return Status::OK();
  });
  if (step == 0) step = body.size() + 1;
  for (size_t pos = 0; pos < body.size() && out.feed.ok(); pos += step) {
    out.feed = decoder.Feed(body.substr(pos, step));
  }
  out.finish = decoder.Finish();
  EXPECT_EQ(decoder.decoded_bytes(), out.data.size());
  out.trailers = decoder.trailers();
  return out;
}

TEST(AwsChunkedTest, AwsExampleBody) {
  std::string body = Encode(ExampleContext(), {std::string(65536, 'a'), std::string(1024, 'a')});
  ASSERT_EQ(body.size(), 66824u);  // the example's Content-Length
  EXPECT_NE(body.find("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"),
            std::string::npos);
  EXPECT_NE(body.find("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e2"
                      "79d449df9\r\n\r\n"),
            std::string::npos);
  for (size_t step : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}}) {
    Decoded d = Decode(ExampleContext(), body, step);
    EXPECT_TRUE(d.feed.ok()) << step << " " << d.feed.ToString();
    EXPECT_TRUE(d.finish.ok()) << step << " " << d.finish.ToString();
    EXPECT_EQ(d.data, std::string(66560, 'a'));
  }
}

TEST(AwsChunkedTest, EverySplitPositionSignedTrailer) {
  AuthContext ctx = ExampleContext(PayloadMode::kStreamingSignedTrailer);
  std::string body = Encode(ctx, {"hello ", "world"}, {{"x-amz-checksum-crc32", "DUoRhQ=="}});
  for (size_t split = 0; split <= body.size(); ++split) {
    Decoded out;
    AwsChunkedDecoder decoder(ctx, [&](std::string_view p) {
      out.data.append(p);
      return Status::OK();
    });
    ASSERT_TRUE(decoder.Feed(body.substr(0, split)).ok()) << split;
    ASSERT_TRUE(decoder.Feed(body.substr(split)).ok()) << split;
    ASSERT_TRUE(decoder.Finish().ok()) << split;
    EXPECT_EQ(out.data, "hello world");
    StringPairs expected = {{"x-amz-checksum-crc32", "DUoRhQ=="}};
    EXPECT_EQ(decoder.trailers(), expected);
  }
}

TEST(AwsChunkedTest, ByteAtATimeAllModes) {
  for (PayloadMode mode : {PayloadMode::kStreamingSigned, PayloadMode::kStreamingSignedTrailer,
                           PayloadMode::kStreamingUnsignedTrailer}) {
    AuthContext ctx = ExampleContext(mode);
    StringPairs trailers;
    if (mode != PayloadMode::kStreamingSigned) trailers = {{"x-amz-checksum-sha256", "abc="}};
    std::string body = Encode(ctx, {std::string(100, 'x'), "y"}, trailers);
    Decoded d = Decode(ctx, body, 1);
    EXPECT_TRUE(d.feed.ok()) << d.feed.ToString();
    EXPECT_TRUE(d.finish.ok()) << d.finish.ToString();
    EXPECT_EQ(d.data, std::string(100, 'x') + "y");
    EXPECT_EQ(d.trailers, trailers);
  }
}

TEST(AwsChunkedTest, TamperedChunkData) {
  std::string body = Encode(ExampleContext(), {std::string(1000, 'a'), "tail"});
  body[500] = 'b';
  Decoded d = Decode(ExampleContext(), body);
  EXPECT_EQ(d.feed.code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(d.finish.code(), ErrorCode::kSignatureDoesNotMatch);  // sticky
}

TEST(AwsChunkedTest, ReorderedOrForeignChunksRejected) {
  AuthContext ctx = ExampleContext();
  std::string a = Encode(ctx, {"first"});
  std::string b = Encode(ctx, {"second"});
  // b's first chunk is signed over the seed, so it cannot follow a's first chunk.
  std::string spliced = a.substr(0, a.find("0;chunk")) + b;
  EXPECT_EQ(Decode(ctx, spliced).feed.code(), ErrorCode::kSignatureDoesNotMatch);
  AuthContext other = ctx;
  other.seed_signature = std::string(64, '0');
  EXPECT_EQ(Decode(other, a).feed.code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST(AwsChunkedTest, MissingChunkSignatureInSignedMode) {
  EXPECT_EQ(Decode(ExampleContext(), "5\r\nhello\r\n0\r\n\r\n").feed.code(),
            ErrorCode::kInvalidRequest);
}

TEST(AwsChunkedTest, TruncatedBodyIsIncomplete) {
  AuthContext ctx = ExampleContext();
  std::string body = Encode(ctx, {std::string(300, 'z'), "end"});
  size_t last_line = body.rfind("0;chunk-signature=");
  size_t last_line_end = body.find("\r\n", last_line) + 2;
  for (size_t len = 0; len < last_line_end; ++len) {
    Decoded d = Decode(ctx, body.substr(0, len));
    ASSERT_TRUE(d.feed.ok()) << len;
    EXPECT_EQ(d.finish.code(), ErrorCode::kIncompleteBody) << len;
  }
}

TEST(AwsChunkedTest, UnsignedTrailerWithCrc32) {
  AuthContext ctx = ExampleContext(PayloadMode::kStreamingUnsignedTrailer);
  // As sent by the JavaScript SDK v3 and boto3.
  std::string body = "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n";
  StringPairs expected = {{"x-amz-checksum-crc32", "NhCmhg=="}};
  Decoded d = Decode(ctx, body);
  ASSERT_TRUE(d.feed.ok() && d.finish.ok()) << d.feed.ToString() << d.finish.ToString();
  EXPECT_EQ(d.data, "hello");
  EXPECT_EQ(d.trailers, expected);
  // Liberal about the end: without the final CRLF, or even the trailer line's own CRLF.
  for (std::string_view end : {"\r\n\r\n", "\r\n", ""}) {
    std::string cut = body.substr(0, body.size() - 4) + std::string(end);
    Decoded e = Decode(ctx, cut, 1);
    EXPECT_TRUE(e.feed.ok() && e.finish.ok()) << end.size();
    EXPECT_EQ(e.trailers, expected);
  }
  // Chunk extensions and upper-case hex sizes are tolerated in unsigned mode.
  Decoded f = Decode(ctx, "A;ext=1\r\n0123456789\r\n0\r\n\r\n");
  EXPECT_TRUE(f.feed.ok() && f.finish.ok());
  EXPECT_EQ(f.data, "0123456789");
}

TEST(AwsChunkedTest, SignedTrailerTamperedOrMissing) {
  AuthContext ctx = ExampleContext(PayloadMode::kStreamingSignedTrailer);
  std::string body = Encode(ctx, {"data"}, {{"x-amz-checksum-crc32", "AAAAAA=="}});
  std::string tampered = body;
  tampered.replace(tampered.find("AAAAAA=="), 8, "BBBBBB==");
  EXPECT_EQ(Decode(ctx, tampered).feed.code(), ErrorCode::kSignatureDoesNotMatch);
  std::string unsigned_end = body.substr(0, body.find("x-amz-trailer-signature")) + "\r\n";
  EXPECT_EQ(Decode(ctx, unsigned_end).feed.code(), ErrorCode::kSignatureDoesNotMatch);
  std::string truncated = body.substr(0, body.find("x-amz-trailer-signature"));
  Decoded d = Decode(ctx, truncated);
  EXPECT_TRUE(d.feed.ok());
  EXPECT_EQ(d.finish.code(), ErrorCode::kIncompleteBody);
}

TEST(AwsChunkedTest, FramingErrors) {
  AuthContext ctx = ExampleContext(PayloadMode::kStreamingUnsignedTrailer);
  EXPECT_EQ(Decode(ctx, "zz\r\n").feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, "\r\n").feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, "10000000000000000\r\n").feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, "3\r\nabcX\r\n").feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, std::string(5000, '1')).feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, "0\r\nno-colon\r\n\r\n").feed.code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(Decode(ctx, "0\r\n\r\nmore").feed.code(), ErrorCode::kInvalidRequest);
  // Signed mode without x-amz-trailer accepts no trailers at all.
  EXPECT_EQ(
      Decode(ExampleContext(),
             "0;chunk-signature=" +
                 ChunkSignature(ExampleContext(), ExampleContext().seed_signature, kEmptySha) +
                 "\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
          .feed.code(),
      ErrorCode::kInvalidRequest);
}

TEST(AwsChunkedTest, SinkErrorPropagatesAndNonStreamingModeFails) {
  AuthContext ctx = ExampleContext(PayloadMode::kStreamingUnsignedTrailer);
  AwsChunkedDecoder decoder(ctx, [](std::string_view) { return Status::IOError("disk full"); });
  EXPECT_EQ(decoder.Feed("1\r\na\r\n").code(), ErrorCode::kIOError);
  AwsChunkedDecoder wrong(ExampleContext(PayloadMode::kSigned),
                          [](std::string_view) { return Status::OK(); });
  EXPECT_FALSE(wrong.Feed("0\r\n\r\n").ok());
  EXPECT_FALSE(wrong.Finish().ok());
}

TEST(AwsChunkedTest, EmptyBodyAndVerifiedStreamingRequest) {
  AuthContext ctx = ExampleContext();
  Decoded d = Decode(ctx, Encode(ctx, {}));
  EXPECT_TRUE(d.feed.ok() && d.finish.ok());
  EXPECT_EQ(d.data, "");
  // End to end: sign a streaming request, verify it, decode its body with the result.
  HttpRequest r = MakeRequest("PUT", "/bucket/key", "",
                              {{"host", "localhost:9000"}, {"content-encoding", "aws-chunked"}});
  SignRequest(r, SignInput{kAccessKey, kSecret, "us-east-1", kAmzDate,
                           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"});
  MapCredentials creds;
  auto verified = VerifyRequest(r, creds, OptionsAt(kExampleTime));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  Decoded e = Decode(*verified, Encode(*verified, {"abc", "def"}), 3);
  EXPECT_TRUE(e.feed.ok() && e.finish.ok());
  EXPECT_EQ(e.data, "abcdef");
}

}  // namespace
}  // namespace kumo::auth
