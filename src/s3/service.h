// S3Service: the transport-facing entry point of the S3 layer. For each request the
// HTTP session calls Begin() with the request head, streams the body into Feed(), and
// calls Finish() for the response. The exchange authenticates, routes, decodes
// aws-chunked bodies, verifies every digest and signature, and maps errors to S3 XML.
//
// [Threading] S3Service is thread-safe. An Exchange is used by one thread at a time;
// Begin/Feed are cheap enough for I/O threads, Finish may block (commit) and belongs on
// the blocking pool.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "common/http_request.h"
#include "s3/request_context.h"
#include "s3/response.h"
#include "storage/store.h"

namespace kumo::s3 {

class Exchange {
 public:
  virtual ~Exchange() = default;
  // True when the session must read the request body and Feed it. False when the
  // response is decided without it (errors found in the head, or no body expected):
  // the session then discards any body (or closes the connection).
  virtual bool wants_body() const = 0;
  // The declared raw body length, or -1 when unknown (chunked transfer encoding).
  virtual int64_t expected_raw_length() const = 0;
  // Raw body bytes in order. An error stops the upload; Finish renders it.
  virtual Status Feed(std::string_view raw) = 0;
  // transport: OK when the body arrived complete, else why it did not (client closed,
  // timeout). Returns the response to send.
  virtual Response Finish(Status transport) = 0;

  // For the access log.
  virtual const RequestContext& context() const = 0;
};

class S3Service {
 public:
  S3Service(storage::Store* store, const auth::CredentialLookup* credentials,
            ServiceOptions options);
  std::unique_ptr<Exchange> Begin(HttpRequest request);
  const ServiceOptions& options() const { return options_; }

 private:
  storage::Store* store_;
  const auth::CredentialLookup* credentials_;
  ServiceOptions options_;
};

// A new unique request id (16 upper-case hex chars), as in x-amz-request-id.
std::string NewRequestId();

}  // namespace kumo::s3
