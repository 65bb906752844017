// The one request handler the transport calls: /_kumo/ endpoints go to the admin
// handler, everything else to S3. Thread-safe (both handlers are).
#pragma once

#include <memory>

#include "admin/admin_exchange.h"
#include "common/http_handler.h"

namespace kumo::server {

class RequestRouter final : public HttpHandler {
 public:
  RequestRouter(HttpHandler* admin, HttpHandler* s3) : admin_(admin), s3_(s3) {}
  std::unique_ptr<HttpExchange> Begin(HttpRequest request) override {
    HttpHandler* to = admin::AdminHandler::Serves(request.raw_path) ? admin_ : s3_;
    return to->Begin(std::move(request));
  }

 private:
  HttpHandler* admin_;
  HttpHandler* s3_;
};

}  // namespace kumo::server
