// Everything an S3 operation knows about the request it serves: the parsed request
// head, the addressed bucket/key, the authenticated principal and the server-wide
// services. One per request; not shared between threads concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sigv4.h"
#include "common/http_request.h"
#include "storage/store.h"

namespace kumo::policy {
class AccessCache;
}

namespace kumo::s3 {

struct ServiceOptions {
  std::string region = "us-east-1";
  // Virtual-hosted style: requests to <bucket>.<domain> address <bucket>. Empty: off.
  std::string domain;
  uint64_t max_object_size = 5ull << 30;  // single PUT limit, as S3
  size_t max_xml_body = 2 << 20;          // DeleteObjects and other XML bodies
  uint64_t min_part_size = 5ull << 20;    // every multipart part but the last
  // Whether an ARN names a configured event handler (notification bindings).
  std::function<bool(const std::string&)> known_arn;
  // Called after a bucket's notification configuration changed, with its target ARNs.
  std::function<void(const std::string& bucket, const std::vector<std::string>& arns)>
      on_notification_config;
  // Who may do what (s3/authorize.h); required. Operations that change what it caches
  // (owners, policies, ACLs, ownership, public access blocks) tell it.
  policy::AccessCache* access = nullptr;
  // Object ownership of new buckets without x-amz-object-ownership: "BucketOwnerEnforced",
  // "BucketOwnerPreferred" or "ObjectWriter".
  std::string default_object_ownership = "BucketOwnerEnforced";
};

struct RequestContext {
  HttpRequest http;
  StringPairs query;  // decoded
  std::string bucket;
  std::string key;
  std::string request_id;
  auth::AuthContext auth;
  int64_t now_ms = 0;
  storage::Store* store = nullptr;
  const ServiceOptions* options = nullptr;
  // For operations that authenticate from the body (PostObject's signed form).
  const auth::CredentialLookup* credentials = nullptr;
  // Filled by the body pipeline once the whole body has been read and verified.
  std::string body_md5;  // raw MD5 of the decoded body
  uint64_t body_bytes = 0;
  StringPairs checksums;  // verified {"crc32", "<base64>"} of the body

  const std::string* Query(std::string_view name) const {
    for (const auto& [n, v] : query) {
      if (n == name) return &v;
    }
    return nullptr;
  }
  bool HasQuery(std::string_view name) const { return Query(name) != nullptr; }
  const std::string* Header(std::string_view lower_name) const { return http.Header(lower_name); }
  bool is_head() const { return http.method == "HEAD"; }
  // "/bucket/key" as S3 reports in error Resource elements.
  std::string Resource() const;
  // The outbox intent for a change this request makes (event name without "s3:").
  storage::EventIntent Event(std::string name) const;
};

}  // namespace kumo::s3
