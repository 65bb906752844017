// S3Service: the S3 layer as a request handler of the transport (common/http_handler.h).
// Its exchange authenticates, routes, authorizes, decodes aws-chunked bodies, verifies
// every digest and signature, and maps errors to S3 XML.
//
// [Threading] S3Service is thread-safe. An exchange is used by one thread at a time;
// Begin/Feed are cheap enough for I/O threads; Finish blocks (commits) unless the request
// is a GET or HEAD without a body, which answers from the index and a positioned read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "common/http_handler.h"
#include "common/http_request.h"
#include "s3/request_context.h"
#include "s3/response.h"
#include "storage/store.h"

namespace kumo::s3 {

class S3Service final : public HttpHandler {
 public:
  S3Service(storage::Store* store, const auth::CredentialLookup* credentials,
            ServiceOptions options);
  std::unique_ptr<HttpExchange> Begin(HttpRequest request) override;
  const ServiceOptions& options() const { return options_; }

 private:
  storage::Store* store_;
  const auth::CredentialLookup* credentials_;
  ServiceOptions options_;
};

// A new unique request id (16 upper-case hex chars), as in x-amz-request-id.
std::string NewRequestId();

}  // namespace kumo::s3
