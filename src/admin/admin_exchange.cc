#include "admin/admin_exchange.h"

#include <charconv>

#include "admin/json_response.h"
#include "admin/search_api.h"

namespace kumo::admin {

namespace {

constexpr std::string_view kHealthPath = "/_kumo/health";
constexpr std::string_view kMetricsPath = "/_kumo/metrics";
constexpr std::string_view kAdminPrefix = "/_kumo/admin/";

class AdminExchange final : public HttpExchange {
 public:
  AdminExchange(AdminApi* api, HttpRequest request) : api_(api), request_(std::move(request)) {
    if (const std::string* cl = request_.Header("content-length")) {
      int64_t v = -1;
      auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), v);
      if (ec == std::errc() && p == cl->data() + cl->size() && v >= 0) length_ = v;
    }
    chunked_ = request_.Header("transfer-encoding") != nullptr;
  }

  bool wants_body() const override { return length_ > 0 || chunked_; }
  int64_t expected_raw_length() const override { return chunked_ ? -1 : length_; }

  Status Feed(std::string_view raw) override {
    if (request_.body.size() + raw.size() > kMaxAdminBodyBytes) {
      return {ErrorCode::kEntityTooLarge, "admin calls take at most 64 KiB of body"};
    }
    request_.body.append(raw);
    return Status::OK();
  }

  bool blocking() const override {
    return !(request_.method == "GET" && request_.raw_path == kHealthPath);
  }

  HttpResponse Finish(Status transport) override {
    if (!transport.ok()) {
      return JsonResponse(transport.code() == ErrorCode::kEntityTooLarge ? 413 : 400,
                          {{"error", "IncompleteBody"}, {"message", transport.message()}});
    }
    auto r = api_->Handle(request_);
    if (r) return std::move(*r);
    return JsonResponse(
        404, {{"error", "NoSuchResource"}, {"message", "unknown admin path " + request_.raw_path}});
  }

  AccessLogFields access_log() const override {
    AccessLogFields fields{request_.method, "", "", "", request_.body.size()};
    fields.log = request_.raw_path != kHealthPath;
    return fields;
  }

 private:
  AdminApi* api_;
  HttpRequest request_;
  int64_t length_ = 0;
  bool chunked_ = false;
};

}  // namespace

bool AdminHandler::Serves(std::string_view raw_path) {
  return raw_path == kHealthPath || raw_path == kMetricsPath || raw_path == kSearchPath ||
         raw_path == kSqlPath || raw_path.starts_with(kAdminPrefix);
}

std::unique_ptr<HttpExchange> AdminHandler::Begin(HttpRequest request) {
  return std::make_unique<AdminExchange>(api_, std::move(request));
}

}  // namespace kumo::admin
