#include "auth/post_policy.h"

#include <gtest/gtest.h>

#include <string>

#include "common/hash.h"
#include "test_util.h"

namespace kumo::auth {
namespace {

using authtest::MapCredentials;

// "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)" in the
// S3 API reference: its policy (CRLF line ends), as base64, and the stated signature.
constexpr char kExamplePolicy[] =
    "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgIC"
    "B7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNl"
    "ci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaX"
    "JlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2Fk"
    "Lmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LW"
    "Ftei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRp"
    "b24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgIC"
    "B7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3"
    "czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7Ing"
    "tYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
constexpr char kExampleSignature[] =
    "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";
constexpr char kExampleCredential[] = "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request";
constexpr int64_t kExampleNow = 1451347200;         // 2015-12-29T00:00:00Z
constexpr int64_t kExampleExpiration = 1451476800;  // 2015-12-30T12:00:00Z

// The example's form, lower-cased names, with a key under the allowed prefix.
StringPairs ExampleForm() {
  return {{"key", "user/user1/cat.jpg"},
          {"acl", "public-read"},
          {"success_action_redirect",
           "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
          {"content-type", "image/jpeg"},
          {"x-amz-meta-uuid", "14365123651274"},
          {"x-amz-server-side-encryption", "AES256"},
          {"x-amz-credential", kExampleCredential},
          {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
          {"x-amz-date", "20151229T000000Z"},
          {"x-amz-meta-tag", ""},
          {"policy", kExamplePolicy},
          {"x-amz-signature", kExampleSignature}};
}

void Set(StringPairs* form, const std::string& name, const std::string& value) {
  for (auto& [n, v] : *form) {
    if (n == name) {
      v = value;
      return;
    }
  }
  form->emplace_back(name, value);
}

PostPolicy Parse(const std::string& json) {
  auto p = ParsePostPolicy(Base64Encode(json));
  EXPECT_TRUE(p.ok()) << json << ": " << p.status().ToString();
  return p.ok() ? *p : PostPolicy{};
}

std::string Message(const Status& s) { return s.message(); }

TEST(PostSignatureTest, AwsExample) {
  EXPECT_EQ(PostPolicySignature(authtest::kSecret, "20151229", "us-east-1", kExamplePolicy),
            kExampleSignature);
  MapCredentials creds;
  auto ak = VerifyPostSignature(ExampleForm(), creds);
  ASSERT_TRUE(ak.ok()) << ak.status().ToString();
  EXPECT_EQ(*ak, "AKIAIOSFODNN7EXAMPLE");
}

TEST(PostSignatureTest, Failures) {
  MapCredentials creds;
  StringPairs form = ExampleForm();
  Set(&form, "policy", std::string(kExamplePolicy) + "IA==");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kSignatureDoesNotMatch));

  form = ExampleForm();
  Set(&form, "x-amz-credential", "AKIAUNKNOWN/20151229/us-east-1/s3/aws4_request");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kInvalidAccessKeyId));

  // Another region or date in the scope derives another key.
  form = ExampleForm();
  Set(&form, "x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151230/us-east-1/s3/aws4_request");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kSignatureDoesNotMatch));

  for (const char* field :
       {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature", "policy"}) {
    form = ExampleForm();
    std::erase_if(form, [&](const auto& f) { return f.first == field; });
    Status s = VerifyPostSignature(form, creds).status();
    EXPECT_TRUE(s.Is(ErrorCode::kInvalidArgument)) << field << ": " << s.ToString();
    EXPECT_NE(Message(s).find(field), std::string::npos) << Message(s);
  }
  form = ExampleForm();
  Set(&form, "x-amz-algorithm", "AWS4-HMAC-SHA1");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kInvalidArgument));
  Set(&form, "x-amz-algorithm", "AWS4-HMAC-SHA256");
  Set(&form, "x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/sqs/aws4_request");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kInvalidArgument));
  form = ExampleForm();
  Set(&form, "x-amz-date", "2015-12-29");
  EXPECT_TRUE(VerifyPostSignature(form, creds).status().Is(ErrorCode::kInvalidArgument));
}

TEST(PostSignatureTest, RoundTrip) {
  MapCredentials creds;
  creds.Add("KUMOKEY", "kumo/secret");
  std::string policy = Base64Encode(R"({"expiration":"2030-01-01T00:00:00Z","conditions":[]})");
  StringPairs form = {
      {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
      {"x-amz-credential", "KUMOKEY/20291231/eu-west-3/s3/aws4_request"},
      {"x-amz-date", "20291231T235959Z"},
      {"policy", policy},
      {"x-amz-signature", PostPolicySignature("kumo/secret", "20291231", "eu-west-3", policy)}};
  auto ak = VerifyPostSignature(form, creds);
  ASSERT_TRUE(ak.ok()) << ak.status().ToString();
  EXPECT_EQ(*ak, "KUMOKEY");
}

TEST(PostPolicyTest, AwsExampleParsesAndAdmitsItsForm) {
  auto p = ParsePostPolicy(kExamplePolicy);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->expiration_unix, kExampleExpiration);
  EXPECT_EQ(p->conditions.size(), 11u);
  EXPECT_FALSE(p->has_length_range);
  Status s = CheckPostPolicy(*p, ExampleForm(), "sigv4examplebucket", kExampleNow);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(CheckPostPolicy(*p, ExampleForm(), "sigv4examplebucket", kExampleExpiration).ok());

  s = CheckPostPolicy(*p, ExampleForm(), "sigv4examplebucket", kExampleExpiration + 1);
  EXPECT_TRUE(s.Is(ErrorCode::kAccessDenied));
  EXPECT_EQ(Message(s), "Invalid according to Policy: Policy expired.");

  s = CheckPostPolicy(*p, ExampleForm(), "otherbucket", kExampleNow);
  EXPECT_EQ(Message(s),
            "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", "
            "\"sigv4examplebucket\"]");

  StringPairs form = ExampleForm();
  Set(&form, "key", "user/user2/cat.jpg");
  s = CheckPostPolicy(*p, form, "sigv4examplebucket", kExampleNow);
  EXPECT_TRUE(s.Is(ErrorCode::kAccessDenied));
  EXPECT_EQ(Message(s),
            "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", "
            "\"user/user1/\"]");

  form = ExampleForm();
  Set(&form, "content-type", "text/plain");
  EXPECT_TRUE(
      CheckPostPolicy(*p, form, "sigv4examplebucket", kExampleNow).Is(ErrorCode::kAccessDenied));

  // A starts-with "" condition admits any value, or the field's absence.
  form = ExampleForm();
  Set(&form, "x-amz-meta-tag", "anything");
  EXPECT_TRUE(CheckPostPolicy(*p, form, "sigv4examplebucket", kExampleNow).ok());
  std::erase_if(form, [](const auto& f) { return f.first == "x-amz-meta-tag"; });
  EXPECT_TRUE(CheckPostPolicy(*p, form, "sigv4examplebucket", kExampleNow).ok());
}

TEST(PostPolicyTest, EveryFieldMustBeCovered) {
  auto p = ParsePostPolicy(kExamplePolicy);
  ASSERT_TRUE(p.ok());
  StringPairs form = ExampleForm();
  form.emplace_back("x-amz-meta-extra", "1");
  form.emplace_back("x-ignore-me", "1");
  form.emplace_back("file", "");
  form.emplace_back("cache-control", "no-cache");
  Status s = CheckPostPolicy(*p, form, "sigv4examplebucket", kExampleNow);
  EXPECT_TRUE(s.Is(ErrorCode::kAccessDenied));
  EXPECT_EQ(Message(s),
            "Invalid according to Policy: Extra input fields: x-amz-meta-extra, cache-control");
}

TEST(PostPolicyTest, ConditionForms) {
  PostPolicy p = Parse(R"({"expiration": "2030-01-01T00:00:00.000Z", "conditions": [
      ["eq", "$key", "a/b"], ["EQ", "$Success_Action_Status", 201],
      ["starts-with", "$Content-Type", "image/"], {"x-amz-meta-a": "1", "x-amz-meta-b": "2"}]})");
  ASSERT_EQ(p.conditions.size(), 5u);
  StringPairs form = {{"key", "a/b"},
                      {"success_action_status", "201"},
                      {"content-type", "image/png, image/jpeg"},
                      {"x-amz-meta-a", "1"},
                      {"x-amz-meta-b", "2"}};
  EXPECT_TRUE(CheckPostPolicy(p, form, "b", 0).ok());
  Set(&form, "content-type", "image/png, text/html");
  EXPECT_TRUE(CheckPostPolicy(p, form, "b", 0).Is(ErrorCode::kAccessDenied));
  Set(&form, "content-type", "image/png");
  Set(&form, "key", "a/bc");
  EXPECT_EQ(Message(CheckPostPolicy(p, form, "b", 0)),
            "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"a/b\"]");
}

TEST(PostPolicyTest, ContentLengthRange) {
  PostPolicy p = Parse(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [
      ["content-length-range", 10, 100], ["content-length-range", "0", "50"]]})");
  ASSERT_TRUE(p.has_length_range);
  EXPECT_EQ(p.min_length, 10);
  EXPECT_EQ(p.max_length, 50);
  EXPECT_TRUE(CheckPostContentLength(p, 5, /*final=*/false).ok());
  EXPECT_TRUE(CheckPostContentLength(p, 5, /*final=*/true).Is(ErrorCode::kEntityTooSmall));
  EXPECT_TRUE(CheckPostContentLength(p, 10, true).ok());
  EXPECT_TRUE(CheckPostContentLength(p, 50, true).ok());
  EXPECT_TRUE(CheckPostContentLength(p, 51, false).Is(ErrorCode::kEntityTooLarge));
  EXPECT_TRUE(CheckPostContentLength(PostPolicy{}, 1ull << 40, true).ok());
  // The range is not a form field: it needs no field and covers none.
  EXPECT_TRUE(CheckPostPolicy(p, {}, "b", 0).ok());
}

TEST(PostPolicyTest, MalformedDocuments) {
  const std::string kBad[] = {
      "not json",
      "[]",
      R"({"conditions": []})",
      R"({"expiration": "2030-01-01", "conditions": []})",
      R"({"expiration": "2030-13-01T00:00:00Z", "conditions": []})",
      R"({"expiration": 12, "conditions": []})",
      R"({"expiration": "2030-01-01T00:00:00Z"})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": {}})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["matches", "$key", "x"]]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "key", "x"]]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "$key"]]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{"key": ["x"]}]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{}]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": ["key"]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", 5, 1]]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", -1, 1]]})",
      R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", "a", 1]]})",
  };
  for (const auto& doc : kBad) {
    auto p = ParsePostPolicy(Base64Encode(doc));
    EXPECT_TRUE(p.status().Is(ErrorCode::kInvalidPolicyDocument)) << doc;
  }
  EXPECT_TRUE(ParsePostPolicy("%%%not-base64").status().Is(ErrorCode::kInvalidPolicyDocument));
  // Base64 wrapped over lines, as some encoders emit it, is fine.
  std::string wrapped = Base64Encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": []})");
  wrapped.insert(20, "\r\n");
  EXPECT_TRUE(ParsePostPolicy(wrapped).ok());
}

}  // namespace
}  // namespace kumo::auth
