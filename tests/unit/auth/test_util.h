// Shared fixtures for the auth unit tests: AWS's example credentials and requests.
#pragma once

#include <map>
#include <string>

#include "auth/sigv4.h"

namespace kumo::auth::authtest {

inline constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
inline constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr char kAmzDate[] = "20130524T000000Z";
inline constexpr int64_t kExampleTime = 1369353600;  // 2013-05-24T00:00:00Z
inline constexpr char kScope[] = "20130524/us-east-1/s3/aws4_request";
inline constexpr char kEmptySha[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class MapCredentials : public CredentialLookup {
 public:
  MapCredentials() { keys_[kAccessKey] = kSecret; }
  void Add(std::string key, std::string secret) { keys_[std::move(key)] = std::move(secret); }
  Result<std::string> SecretFor(std::string_view access_key) const override {
    auto it = keys_.find(std::string(access_key));
    if (it == keys_.end()) return Status(ErrorCode::kInvalidAccessKeyId, "unknown");
    return it->second;
  }

 private:
  std::map<std::string, std::string> keys_;
};

inline VerifyOptions OptionsAt(int64_t now) {
  VerifyOptions options;
  options.now_unix = now;
  return options;
}

inline HttpRequest MakeRequest(std::string method, std::string path, std::string query,
                               StringPairs headers) {
  HttpRequest r;
  r.method = std::move(method);
  r.raw_path = std::move(path);
  r.raw_query = std::move(query);
  r.target = r.raw_path + (r.raw_query.empty() ? "" : "?" + r.raw_query);
  r.headers = std::move(headers);
  return r;
}

inline std::string AuthHeader(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=" + std::string(kAccessKey) + "/" + kScope +
         ",SignedHeaders=" + std::string(signed_headers) + ",Signature=" + std::string(signature);
}

}  // namespace kumo::auth::authtest
