// VerifyRequest error paths, and round trips through the signer.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "common/hash.h"
#include "test_util.h"

namespace kumo::auth {
namespace {

using namespace authtest;  // NOLINT: test fixtures

const char kHost[] = "examplebucket.s3.amazonaws.com";

SignInput Input(std::string secret = kSecret) {
  return SignInput{kAccessKey, std::move(secret), "us-east-1", kAmzDate, kEmptySha};
}

HttpRequest SignedGet(const SignInput& input = Input()) {
  HttpRequest r = MakeRequest("GET", "/photos/a%20b.jpg", "versionId=3&acl",
                              {{"host", kHost}, {"range", "bytes=0-9"}});
  SignRequest(r, input);
  return r;
}

ErrorCode CodeOf(const HttpRequest& r, int64_t now = kExampleTime) {
  MapCredentials creds;
  return VerifyRequest(r, creds, OptionsAt(now)).status().code();
}

void SetHeader(HttpRequest& r, std::string_view name, std::string value) {
  for (auto& [n, v] : r.headers) {
    if (n == name) v = std::move(value);
  }
}

TEST(SigV4VerifyTest, SignRequestRoundTrip) {
  HttpRequest r = SignedGet();
  MapCredentials creds;
  auto ctx = VerifyRequest(r, creds, OptionsAt(kExampleTime));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kSigned);
  EXPECT_EQ(ctx->expected_payload_sha256, kEmptySha);
  EXPECT_EQ(ctx->access_key, kAccessKey);
}

TEST(SigV4VerifyTest, UnsignedAmzHeaderIsRefused) {
  HttpRequest r = SignedGet();
  ASSERT_EQ(CodeOf(r), ErrorCode::kOk);
  // Added after signing: the signature still matches, but S3 refuses unsigned x-amz-*.
  r.headers.emplace_back("x-amz-copy-source", "other/key");
  EXPECT_EQ(CodeOf(r), ErrorCode::kAccessDenied);
  // Other unsigned headers are allowed (SDKs leave some, e.g. user-agent, unsigned).
  HttpRequest ok = SignedGet();
  ok.headers.emplace_back("user-agent", "added-later");
  EXPECT_EQ(CodeOf(ok), ErrorCode::kOk);
}

TEST(SigV4VerifyTest, AnyRegionAndUnsignedPayloadAccepted) {
  SignInput input = Input();
  input.region = "kumo-local";
  input.payload_sha256 = "UNSIGNED-PAYLOAD";
  auto ctx = [&] {
    MapCredentials creds;
    return VerifyRequest(SignedGet(input), creds, OptionsAt(kExampleTime));
  }();
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kUnsigned);
  EXPECT_EQ(ctx->scope, "20130524/kumo-local/s3/aws4_request");
}

TEST(SigV4VerifyTest, CanonicalFormIgnoresClientEncodingChoices) {
  // '!' sent raw vs escaped, header whitespace, query order: all canonicalize the same.
  HttpRequest r =
      MakeRequest("GET", "/a!b", "b=2&a=1", {{"host", kHost}, {"x-amz-meta-x", "  one   two  "}});
  SignRequest(r, Input());
  r.raw_path = "/a%21b";
  r.raw_query = "a=1&b=2";
  SetHeader(r, "x-amz-meta-x", "one two");
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
}

TEST(SigV4VerifyTest, PathIsNotNormalized) {
  HttpRequest r = MakeRequest("GET", "/b/./x//y/../z", "", {{"host", kHost}});
  SignRequest(r, Input());
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
  std::string canonical = CanonicalRequest(r, "host", "UNSIGNED-PAYLOAD", false);
  EXPECT_NE(canonical.find("\n/b/./x//y/../z\n"), std::string::npos);
  r.raw_path = "/b/x/z";
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV4VerifyTest, RepeatedHeadersJoinedWithComma) {
  HttpRequest r = MakeRequest("GET", "/", "",
                              {{"host", kHost}, {"x-amz-meta-a", "1"}, {"x-amz-meta-a", " 2 "}});
  std::string canonical = CanonicalRequest(r, "host;x-amz-meta-a", kEmptySha, false);
  EXPECT_NE(canonical.find("\nx-amz-meta-a:1,2\n"), std::string::npos);
  SignRequest(r, Input());
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
}

TEST(SigV4VerifyTest, WrongSecretIsSignatureMismatch) {
  MapCredentials creds;
  auto result = VerifyRequest(SignedGet(Input("not-the-secret")), creds, OptionsAt(kExampleTime));
  EXPECT_EQ(result.status().code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(result.status().message(),
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.");
}

TEST(SigV4VerifyTest, TamperedRequestIsSignatureMismatch) {
  HttpRequest r = SignedGet();
  SetHeader(r, "range", "bytes=0-99");
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
  r = SignedGet();
  r.raw_query = "versionId=4&acl";
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
  r = SignedGet();
  r.method = "DELETE";
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV4VerifyTest, UnknownAccessKey) {
  SignInput input = Input();
  input.access_key = "AKIDUNKNOWN";
  MapCredentials creds;
  auto result = VerifyRequest(SignedGet(input), creds, OptionsAt(kExampleTime));
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(result.status().message(),
            "The AWS Access Key Id you provided does not exist in our records.");
}

TEST(SigV4VerifyTest, ClockSkew) {
  HttpRequest r = SignedGet();
  EXPECT_EQ(CodeOf(r, kExampleTime + 15 * 60), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(r, kExampleTime - 15 * 60), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(r, kExampleTime + 15 * 60 + 1), ErrorCode::kRequestTimeTooSkewed);
  EXPECT_EQ(CodeOf(r, kExampleTime - 15 * 60 - 1), ErrorCode::kRequestTimeTooSkewed);
}

TEST(SigV4VerifyTest, DateHeaderFallback) {
  HttpRequest r = MakeRequest("GET", "/k", "", {{"host", kHost}});
  SignRequest(r, Input());
  // Re-sign by hand with Date instead of x-amz-date.
  std::erase_if(r.headers, [](const auto& h) {
    return h.first == "x-amz-date" || h.first == "authorization";
  });
  r.headers.emplace_back("date", "Fri, 24 May 2013 00:00:00 GMT");
  std::string key = DeriveSigningKey(kSecret, "20130524", "us-east-1", "s3");
  std::string signed_headers = "date;host;x-amz-content-sha256";
  std::string sts =
      StringToSign(kAmzDate, kScope, CanonicalRequest(r, signed_headers, kEmptySha, false));
  r.headers.emplace_back("authorization",
                         AuthHeader(signed_headers, HexEncode(HmacSha256(key, sts))));
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(r, kExampleTime + 3600), ErrorCode::kRequestTimeTooSkewed);
  SetHeader(r, "date", "yesterday");
  EXPECT_EQ(CodeOf(r), ErrorCode::kAccessDenied);
}

TEST(SigV4VerifyTest, AnonymousIsAccessDenied) {
  HttpRequest r = MakeRequest("GET", "/k", "a=b", {{"host", kHost}});
  MapCredentials creds;
  auto result = VerifyRequest(r, creds, OptionsAt(kExampleTime));
  EXPECT_EQ(result.status().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(result.status().message(), "Access Denied");
}

TEST(SigV4VerifyTest, MalformedAuthorizationHeaders) {
  const std::string good_sig(64, 'a');
  const std::string cred = std::string(kAccessKey) + "/" + kScope;
  struct Case {
    std::string value;
    ErrorCode code;
  };
  std::vector<Case> cases = {
      {"AWS4-HMAC-SHA256 Credential=" + cred + ",SignedHeaders=host",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=" + cred + ",SignedHeaders=host,Signature=" + good_sig +
           ",Extra=1",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3,SignedHeaders=host,Signature=" +
           good_sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/ec2/aws4_request,SignedHeaders="
       "host,Signature=" +
           good_sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=" + cred + ",SignedHeaders=range,Signature=" + good_sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=" + cred + ",SignedHeaders=Host,Signature=" + good_sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AK/20130523/us-east-1/s3/aws4_request,SignedHeaders="
       "host,Signature=" +
           good_sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 garbage", ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", ErrorCode::kInvalidArgument},
      {"", ErrorCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    HttpRequest r = MakeRequest("GET", "/", "",
                                {{"host", kHost},
                                 {"x-amz-date", kAmzDate},
                                 {"x-amz-content-sha256", kEmptySha},
                                 {"authorization", c.value}});
    EXPECT_EQ(CodeOf(r), c.code) << c.value;
  }
}

TEST(SigV4VerifyTest, ContentSha256Header) {
  HttpRequest r = SignedGet();
  std::erase_if(r.headers, [](const auto& h) { return h.first == "x-amz-content-sha256"; });
  MapCredentials creds;
  auto result = VerifyRequest(r, creds, OptionsAt(kExampleTime));
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(result.status().message(),
            "Missing required header for this request: x-amz-content-sha256");
  SignInput input = Input();
  input.payload_sha256 = "SOMETHING-ELSE";
  EXPECT_EQ(CodeOf(SignedGet(input)), ErrorCode::kInvalidArgument);
  for (auto [value, mode] : std::vector<std::pair<std::string, PayloadMode>>{
           {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD", PayloadMode::kStreamingSigned},
           {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", PayloadMode::kStreamingSignedTrailer},
           {"STREAMING-UNSIGNED-PAYLOAD-TRAILER", PayloadMode::kStreamingUnsignedTrailer}}) {
    input.payload_sha256 = value;
    auto ctx = VerifyRequest(SignedGet(input), creds, OptionsAt(kExampleTime));
    ASSERT_TRUE(ctx.ok()) << value;
    EXPECT_EQ(ctx->payload, mode);
  }
}

TEST(SigV4VerifyTest, BothMechanismsRejected) {
  HttpRequest r = SignedGet();
  r.raw_query = "X-Amz-Credential=x";
  EXPECT_EQ(CodeOf(r), ErrorCode::kInvalidArgument);
}

// --- presigned URLs ---

HttpRequest Presigned(int64_t expires, StringPairs extra_headers = {}) {
  HttpRequest r = MakeRequest("GET", "/photos/cat.jpg", "response-content-type=image%2Fjpeg",
                              {{"host", kHost}});
  for (auto& h : extra_headers) r.headers.push_back(h);
  r.raw_query = PresignQuery(r, Input(), expires);
  return r;
}

TEST(SigV4PresignTest, RoundTrip) {
  HttpRequest r = Presigned(3600);
  MapCredentials creds;
  auto ctx = VerifyRequest(r, creds, OptionsAt(kExampleTime + 3599));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kUnsigned);
  // Extra headers sent by the user agent but not signed do not matter.
  r.headers.emplace_back("user-agent", "curl/8");
  EXPECT_EQ(CodeOf(r, kExampleTime), ErrorCode::kOk);
}

TEST(SigV4PresignTest, SignedContentSha256Header) {
  HttpRequest r = Presigned(60, {{"x-amz-content-sha256", kEmptySha}});
  MapCredentials creds;
  auto ctx = VerifyRequest(r, creds, OptionsAt(kExampleTime));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kSigned);
  EXPECT_EQ(ctx->expected_payload_sha256, kEmptySha);
}

TEST(SigV4PresignTest, Expired) {
  HttpRequest r = Presigned(3600);
  MapCredentials creds;
  EXPECT_EQ(CodeOf(r, kExampleTime + 3600), ErrorCode::kOk);
  auto result = VerifyRequest(r, creds, OptionsAt(kExampleTime + 3601));
  EXPECT_EQ(result.status().code(), ErrorCode::kExpiredRequest);
  EXPECT_EQ(result.status().message(), "Request has expired");
}

TEST(SigV4PresignTest, ExpiresBounds) {
  EXPECT_EQ(CodeOf(Presigned(7 * 24 * 3600)), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Presigned(7 * 24 * 3600 + 1)), ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(Presigned(0)), ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(Presigned(-5)), ErrorCode::kAuthorizationQueryParametersError);
}

TEST(SigV4PresignTest, DatedInTheFuture) {
  HttpRequest r = Presigned(3600);
  EXPECT_EQ(CodeOf(r, kExampleTime - 15 * 60), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(r, kExampleTime - 15 * 60 - 1), ErrorCode::kRequestTimeTooSkewed);
}

TEST(SigV4PresignTest, TamperedOrMalformed) {
  HttpRequest r = Presigned(3600);
  r.raw_query += "&extra=1";
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
  r = Presigned(3600);
  r.raw_path = "/photos/dog.jpg";
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);

  std::string q = Presigned(3600).raw_query;
  auto replace = [&](std::string from, std::string to) {
    std::string out = q;
    out.replace(out.find(from), from.size(), to);
    return MakeRequest("GET", "/photos/cat.jpg", out, {{"host", kHost}});
  };
  EXPECT_EQ(CodeOf(replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(replace("X-Amz-Date=", "X-Amz-Nope=")),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(replace("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24")),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(replace("X-Amz-Expires=3600", "X-Amz-Expires=abc")),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(replace("%2Fs3%2F", "%2Fsqs%2F")),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(CodeOf(replace("AKIAIOSFODNN7EXAMPLE", "AKIDUNKNOWN")), ErrorCode::kInvalidAccessKeyId);
}

}  // namespace
}  // namespace kumo::auth
