// Request heads for kumo-bench, signed with the project's SigV4 signer (auth/sigv4.h).
// Header-signed requests use x-amz-content-sha256: UNSIGNED-PAYLOAD, so the client never
// hashes a body (as the AWS SDKs do over TLS); presigned targets are computed once per key
// and then replayed like wrk replays URLs.
// [Threading] One RequestBuilder per worker: it reuses its buffers and is not synchronized.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "bench/options.h"
#include "common/http_request.h"

namespace kumo::bench {

class RequestBuilder {
 public:
  explicit RequestBuilder(const Options& options);

  // Writes into *out the head of `method path[?query]`, signed in the Authorization
  // header; path and query must already be percent-encoded. content_length < 0 omits the
  // Content-Length header (requests without a body).
  void SignedHead(std::string_view method, std::string_view path, std::string_view query,
                  int64_t content_length, std::string* out);

  // Writes into *out the head of `method target` with no signature headers: target is a
  // presigned path?query from PresignedTarget().
  void PlainHead(std::string_view method, std::string_view target, int64_t content_length,
                 std::string* out) const;

  // Returns path?query of a presigned URL for `method path`, valid for expires_seconds.
  std::string PresignedTarget(std::string_view method, std::string_view path,
                              int64_t expires_seconds);

 private:
  // Refreshes signer_.amz_date once per second instead of formatting it per request.
  void RefreshDate();

  const Options& options_;
  auth::SignInput signer_;
  std::time_t date_second_ = 0;
  HttpRequest request_;  // reused: its strings keep their capacity
};

}  // namespace kumo::bench
