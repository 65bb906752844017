// The worked examples of the S3 API reference ("Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk", "... Query Parameters",
// "... in Multiple Chunks"), checked through the building blocks and through VerifyRequest.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "common/hash.h"
#include "test_util.h"

namespace kumo::auth {
namespace {

using namespace authtest;  // NOLINT: test fixtures

struct Example {
  const char* name;
  HttpRequest request;
  std::string signed_headers;
  std::string payload_hash;
  std::string signature;
};

std::vector<Example> SingleChunkExamples() {
  const std::string host = "examplebucket.s3.amazonaws.com";
  std::vector<Example> out;
  out.push_back({"GetObject",
                 MakeRequest("GET", "/test.txt", "",
                             {{"host", host},
                              {"range", "bytes=0-9"},
                              {"x-amz-content-sha256", kEmptySha},
                              {"x-amz-date", kAmzDate}}),
                 "host;range;x-amz-content-sha256;x-amz-date", kEmptySha,
                 "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"});
  const std::string put_sha = Sha256Hex("Welcome to Amazon S3.");
  out.push_back({"PutObject",
                 MakeRequest("PUT", "/test%24file.text", "",
                             {{"host", host},
                              {"date", "Fri, 24 May 2013 00:00:00 GMT"},
                              {"x-amz-date", kAmzDate},
                              {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                              {"x-amz-content-sha256", put_sha}}),
                 "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", put_sha,
                 "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"});
  out.push_back(
      {"GetBucketLifecycle",
       MakeRequest("GET", "/", "lifecycle",
                   {{"host", host}, {"x-amz-date", kAmzDate}, {"x-amz-content-sha256", kEmptySha}}),
       "host;x-amz-content-sha256;x-amz-date", kEmptySha,
       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"});
  out.push_back(
      {"ListObjects",
       MakeRequest("GET", "/", "max-keys=2&prefix=J",
                   {{"host", host}, {"x-amz-date", kAmzDate}, {"x-amz-content-sha256", kEmptySha}}),
       "host;x-amz-content-sha256;x-amz-date", kEmptySha,
       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"});
  return out;
}

TEST(SigV4ExamplesTest, PutObjectPayloadHash) {
  EXPECT_EQ(Sha256Hex("Welcome to Amazon S3."),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

TEST(SigV4ExamplesTest, GetObjectCanonicalRequestAndStringToSign) {
  Example ex = SingleChunkExamples()[0];
  std::string canonical = CanonicalRequest(ex.request, ex.signed_headers, ex.payload_hash, false);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string(kEmptySha) +
                "\nx-amz-date:20130524T000000Z\n\n"
                "host;range;x-amz-content-sha256;x-amz-date\n" +
                kEmptySha);
  EXPECT_EQ(StringToSign(kAmzDate, kScope, canonical),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(SigV4ExamplesTest, SignaturesFromBuildingBlocks) {
  std::string key = DeriveSigningKey(kSecret, "20130524", "us-east-1", "s3");
  for (const Example& ex : SingleChunkExamples()) {
    std::string canonical = CanonicalRequest(ex.request, ex.signed_headers, ex.payload_hash, false);
    EXPECT_EQ(HexEncode(HmacSha256(key, StringToSign(kAmzDate, kScope, canonical))), ex.signature)
        << ex.name;
  }
}

TEST(SigV4ExamplesTest, SignaturesThroughVerifyRequest) {
  MapCredentials creds;
  for (Example ex : SingleChunkExamples()) {
    ex.request.headers.emplace_back("authorization", AuthHeader(ex.signed_headers, ex.signature));
    auto ctx = VerifyRequest(ex.request, creds, OptionsAt(kExampleTime + 60));
    ASSERT_TRUE(ctx.ok()) << ex.name << ": " << ctx.status().ToString();
    EXPECT_EQ(ctx->access_key, kAccessKey);
    EXPECT_EQ(ctx->payload, PayloadMode::kSigned);
    EXPECT_EQ(ctx->expected_payload_sha256, ex.payload_hash);
    EXPECT_EQ(ctx->seed_signature, ex.signature);
    EXPECT_EQ(ctx->scope, kScope);
    EXPECT_EQ(ctx->amz_date, kAmzDate);
  }
}

HttpRequest PresignExample() {
  return MakeRequest(
      "GET", "/test.txt",
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
      "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
      {{"host", "examplebucket.s3.amazonaws.com"}});
}

TEST(SigV4ExamplesTest, PresignedUrlVerifies) {
  MapCredentials creds;
  auto ctx = VerifyRequest(PresignExample(), creds, OptionsAt(kExampleTime + 3600));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kUnsigned);
  EXPECT_EQ(ctx->seed_signature,
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4ExamplesTest, PresignQueryReproducesExample) {
  HttpRequest request =
      MakeRequest("GET", "/test.txt", "", {{"host", "examplebucket.s3.amazonaws.com"}});
  SignInput input{kAccessKey, kSecret, "us-east-1", kAmzDate};
  EXPECT_EQ(PresignQuery(request, input, 86400), PresignExample().raw_query);
}

// The chunked-upload example: 66560 bytes of 'a' in chunks of 65536 and 1024.
HttpRequest ChunkedExample() {
  return MakeRequest(
      "PUT", "/examplebucket/chunkObject.txt", "",
      {{"host", "s3.amazonaws.com"},
       {"x-amz-date", kAmzDate},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"authorization",
        AuthHeader("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                   "x-amz-decoded-content-length;x-amz-storage-class",
                   "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"content-encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"content-length", "66824"}});
}

TEST(SigV4ExamplesTest, ChunkedUploadSeedAndChunkSignatures) {
  MapCredentials creds;
  auto ctx = VerifyRequest(ChunkedExample(), creds, OptionsAt(kExampleTime));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->payload, PayloadMode::kStreamingSigned);
  EXPECT_EQ(ctx->signing_key, DeriveSigningKey(kSecret, "20130524", "us-east-1", "s3"));
  std::string first = ChunkSignature(*ctx, ctx->seed_signature, Sha256Hex(std::string(65536, 'a')));
  EXPECT_EQ(first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  std::string second = ChunkSignature(*ctx, first, Sha256Hex(std::string(1024, 'a')));
  EXPECT_EQ(second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  EXPECT_EQ(ChunkSignature(*ctx, second, kEmptySha),
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
}

}  // namespace
}  // namespace kumo::auth
