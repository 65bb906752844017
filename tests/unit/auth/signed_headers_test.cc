// The SignedHeaders list: its shape, its cap, and the rule that every x-amz-* header is
// signed, for header auth and presigned URLs alike.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"
#include "test_util.h"

namespace kumo::auth {
namespace {

using namespace authtest;  // NOLINT: test fixtures

const char kHost[] = "examplebucket.s3.amazonaws.com";

SignInput Input() { return SignInput{kAccessKey, kSecret, "us-east-1", kAmzDate, kEmptySha}; }

// Counts key lookups: a request refused before the lookup did no hashing either. Not
// thread-safe, unlike what CredentialLookup asks for; these tests use one thread.
class CountingCredentials : public MapCredentials {
 public:
  Result<std::string> SecretFor(std::string_view access_key) const override {
    ++lookups;
    return MapCredentials::SecretFor(access_key);
  }
  mutable int lookups = 0;
};

ErrorCode CodeOf(const HttpRequest& r, const CredentialLookup& creds) {
  return VerifyRequest(r, creds, OptionsAt(kExampleTime)).status().code();
}

ErrorCode CodeOf(const HttpRequest& r) { return CodeOf(r, MapCredentials()); }

// A header-signed PUT whose Authorization carries exactly signed_headers, with a correct
// signature over that list: only the list's shape can make the verifier refuse it.
HttpRequest SignedWithList(std::string_view signed_headers, StringPairs extra = {}) {
  HttpRequest r =
      MakeRequest("PUT", "/inbox/u", "",
                  {{"host", kHost}, {"x-amz-content-sha256", kEmptySha}, {"x-amz-date", kAmzDate}});
  for (auto& h : extra) r.headers.push_back(std::move(h));
  std::string key = DeriveSigningKey(kSecret, "20130524", "us-east-1", "s3");
  std::string sts =
      StringToSign(kAmzDate, kScope, CanonicalRequest(r, signed_headers, kEmptySha, false));
  r.headers.emplace_back("authorization",
                         AuthHeader(signed_headers, HexEncode(HmacSha256(key, sts))));
  return r;
}

HttpRequest PresignedPut(StringPairs signed_extra = {}) {
  HttpRequest r = MakeRequest("PUT", "/inbox/u", "", {{"host", kHost}});
  for (auto& h : signed_extra) r.headers.push_back(std::move(h));
  r.raw_query = PresignQuery(r, Input(), 3600);
  return r;
}

// --- defect 8: SignedHeaders shape and size, refused before any key lookup ---

TEST(SignedHeadersTest, SplitAcceptsSortedUniqueLists) {
  std::vector<std::string_view> names;
  EXPECT_EQ(internal::SplitSignedHeaders("host", &names), "");
  EXPECT_EQ(names, std::vector<std::string_view>{"host"});
  EXPECT_EQ(internal::SplitSignedHeaders("content-md5;host;x-amz-date", &names), "");
  EXPECT_EQ(names.size(), 3u);
  // Byte order, as botocore and the JS SDK sort: a prefix sorts first.
  EXPECT_EQ(internal::SplitSignedHeaders("host;x-amz-meta-a;x-amz-meta-a-b", &names), "");
}

TEST(SignedHeadersTest, SplitRefusesRepeatsDisorderAndOverflow) {
  std::vector<std::string_view> names;
  EXPECT_NE(internal::SplitSignedHeaders("host;host", &names), "");
  EXPECT_NE(internal::SplitSignedHeaders("host;x-amz-date;x-amz-date", &names), "");
  EXPECT_NE(internal::SplitSignedHeaders("x-amz-date;host", &names), "");
  EXPECT_NE(internal::SplitSignedHeaders("host;;x-amz-date", &names), "");
  EXPECT_NE(internal::SplitSignedHeaders("Host", &names), "");
  EXPECT_NE(internal::SplitSignedHeaders("range", &names), "");
  std::string at_cap = "host", over_cap;
  for (size_t i = 1; i < internal::kMaxSignedHeaders; ++i) {
    at_cap += ";x-" + std::to_string(1000 + i);
  }
  EXPECT_EQ(internal::SplitSignedHeaders(at_cap, &names), "");
  EXPECT_EQ(names.size(), internal::kMaxSignedHeaders);
  over_cap = at_cap + ";x-9999";
  EXPECT_NE(internal::SplitSignedHeaders(over_cap, &names), "");
}

TEST(SignedHeadersTest, HeaderAuthRefusesRepeatedNamesBeforeKeyLookup) {
  // Correctly signed over the repeated list: today's verifier would accept it.
  HttpRequest big = SignedWithList("host;x-amz-content-sha256;x-amz-date;x-amz-meta-a;x-amz-meta-a",
                                   {{"x-amz-meta-a", std::string(4000, 'v')}});
  CountingCredentials creds;
  EXPECT_EQ(CodeOf(big, creds), ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(creds.lookups, 0);
  EXPECT_EQ(CodeOf(SignedWithList("host;host;x-amz-content-sha256;x-amz-date"), creds),
            ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(creds.lookups, 0);
  // The same list, once each name, is fine.
  EXPECT_EQ(CodeOf(SignedWithList("host;x-amz-content-sha256;x-amz-date"), creds), ErrorCode::kOk);
  EXPECT_EQ(creds.lookups, 1);
}

TEST(SignedHeadersTest, HeaderAuthRefusesUnsortedNames) {
  CountingCredentials creds;
  EXPECT_EQ(CodeOf(SignedWithList("x-amz-date;host;x-amz-content-sha256"), creds),
            ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(creds.lookups, 0);
}

TEST(SignedHeadersTest, HeaderAuthRefusesMoreThanTheCap) {
  std::string list = "host;x-amz-content-sha256;x-amz-date";
  StringPairs meta;
  for (size_t i = 0; i + 3 <= internal::kMaxSignedHeaders; ++i) {
    std::string name = "x-amz-meta-" + std::to_string(1000 + i);
    list += ";" + name;
    meta.emplace_back(name, "v");
  }
  CountingCredentials creds;
  EXPECT_EQ(CodeOf(SignedWithList(list, meta), creds), ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(creds.lookups, 0);
  // One name fewer is at the cap and passes.
  list.resize(list.rfind(';'));
  meta.pop_back();
  EXPECT_EQ(CodeOf(SignedWithList(list, meta), creds), ErrorCode::kOk);
}

TEST(SignedHeadersTest, PresignRefusesRepeatedOrUnsortedNames) {
  for (std::string list : {"host%3Bhost", "x-amz-meta-a%3Bhost"}) {
    HttpRequest r = PresignedPut();
    std::string param = "X-Amz-SignedHeaders=host";
    r.raw_query.replace(r.raw_query.find(param), param.size(), "X-Amz-SignedHeaders=" + list);
    CountingCredentials creds;
    EXPECT_EQ(CodeOf(r, creds), ErrorCode::kAuthorizationQueryParametersError) << list;
    EXPECT_EQ(creds.lookups, 0);
  }
}

TEST(SignedHeadersTest, CanonicalHeadersFollowTheListWhateverTheHeaderOrder) {
  HttpRequest r = MakeRequest(
      "GET", "/", "",
      {{"x-amz-meta-b", "2"}, {"host", kHost}, {"x-amz-meta-a", "1"}, {"x-amz-meta-b", "3"}});
  std::string canonical =
      CanonicalRequest(r, "host;x-amz-meta-a;x-amz-meta-b;x-amz-meta-c", kEmptySha, false);
  EXPECT_NE(canonical.find(std::string("\nhost:") + kHost +
                           "\nx-amz-meta-a:1\nx-amz-meta-b:2,3\nx-amz-meta-c:\n\n"),
            std::string::npos)
      << canonical;
}

// --- defect 2: every x-amz-* header is signed, presigned URLs included ---

TEST(SignedHeadersTest, PresignedUrlRefusesUnsignedAmzHeaders) {
  ASSERT_EQ(CodeOf(PresignedPut()), ErrorCode::kOk);
  for (auto [name, value] : StringPairs{{"x-amz-copy-source", "private/secret.txt"},
                                        {"x-amz-tagging", "a=b"},
                                        {"x-amz-meta-x", "1"},
                                        {"x-amz-metadata-directive", "REPLACE"},
                                        {"x-amz-acl", "public-read"},
                                        {"x-amz-date", kAmzDate}}) {
    HttpRequest r = PresignedPut();
    r.headers.emplace_back(name, value);
    auto result = VerifyRequest(r, MapCredentials(), OptionsAt(kExampleTime));
    EXPECT_EQ(result.status().code(), ErrorCode::kAccessDenied) << name;
    EXPECT_EQ(result.status().message(),
              "There were headers present in the request which were not signed: " + name);
  }
  // Headers outside x-amz-* stay free to add (user agents add several), and so does
  // x-amzn-trace-id, which only shares a prefix.
  HttpRequest r = PresignedPut();
  r.headers.emplace_back("user-agent", "curl/8");
  r.headers.emplace_back("x-amzn-trace-id", "Root=1-abc");
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
}

TEST(SignedHeadersTest, PresignedUrlWithSignedAmzHeadersIsAccepted) {
  HttpRequest r = PresignedPut({{"x-amz-meta-x", "1"}, {"x-amz-tagging", "a=b"}});
  EXPECT_NE(r.raw_query.find("X-Amz-SignedHeaders=host%3Bx-amz-meta-x%3Bx-amz-tagging"),
            std::string::npos);
  EXPECT_EQ(CodeOf(r), ErrorCode::kOk);
  // Signed but then omitted, or sent with another value: the signature no longer matches.
  HttpRequest omitted = r;
  std::erase_if(omitted.headers, [](const auto& h) { return h.first == "x-amz-meta-x"; });
  EXPECT_EQ(CodeOf(omitted), ErrorCode::kSignatureDoesNotMatch);
  // Signed, plus one more that is not: refused.
  r.headers.emplace_back("x-amz-acl", "public-read");
  EXPECT_EQ(CodeOf(r), ErrorCode::kAccessDenied);
}

TEST(SignedHeadersTest, UnsignedHeadersAreAllNamed) {
  HttpRequest r = PresignedPut();
  r.headers.emplace_back("x-amz-acl", "public-read");
  r.headers.emplace_back("x-amz-tagging", "a=b");
  auto result = VerifyRequest(r, MapCredentials(), OptionsAt(kExampleTime));
  EXPECT_EQ(result.status().message(),
            "There were headers present in the request which were not signed: x-amz-acl, "
            "x-amz-tagging");
}

TEST(SignedHeadersTest, ContentSha256MayBeUnsignedInEitherStyle) {
  // Header auth: x-amz-content-sha256 out of SignedHeaders is still bound, as the last line
  // of the canonical request; S3 accepts it, so do we.
  EXPECT_EQ(CodeOf(SignedWithList("host;x-amz-date")), ErrorCode::kOk);
  HttpRequest tampered = SignedWithList("host;x-amz-date");
  for (auto& [name, value] : tampered.headers) {
    if (name == "x-amz-content-sha256") value = "UNSIGNED-PAYLOAD";
  }
  EXPECT_EQ(CodeOf(tampered), ErrorCode::kSignatureDoesNotMatch);
  // But x-amz-date, like any other x-amz-* header, must be signed.
  EXPECT_EQ(CodeOf(SignedWithList("host;x-amz-content-sha256")), ErrorCode::kAccessDenied);
  // Presigned: adding x-amz-content-sha256 changes the payload line, so the URL fails.
  HttpRequest r = PresignedPut();
  r.headers.emplace_back("x-amz-content-sha256", kEmptySha);
  EXPECT_EQ(CodeOf(r), ErrorCode::kSignatureDoesNotMatch);
}

}  // namespace
}  // namespace kumo::auth
