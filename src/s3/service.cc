#include "s3/service.h"

#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <random>

#include "common/time_util.h"
#include "s3/authorize.h"
#include "s3/body_pipeline.h"
#include "s3/errors.h"
#include "s3/router.h"

namespace kumo::s3 {

namespace {

class ExchangeImpl final : public HttpExchange {
 public:
  ExchangeImpl(RequestContext ctx, const auth::CredentialLookup* credentials)
      : ctx_(std::move(ctx)) {
    early_ = Start(credentials);
  }

  bool wants_body() const override { return early_.ok() && op_ && op_->wants_body(); }
  int64_t expected_raw_length() const override { return raw_length_; }

  Status Feed(std::string_view raw) override {
    if (!pipeline_) return Status::OK();
    return pipeline_->Feed(raw);
  }

  Response Finish(Status transport) override {
    Response r = Run(std::move(transport));
    r.Set("x-amz-request-id", ctx_.request_id);
    r.Set("x-amz-id-2", ctx_.request_id);
    r.Set("Server", "Kumo");
    return r;
  }

  bool blocking() const override {
    return wants_body() || (ctx_.http.method != "GET" && ctx_.http.method != "HEAD");
  }

  AccessLogFields access_log() const override {
    return {ctx_.http.method, ctx_.bucket, ctx_.key, ctx_.request_id, ctx_.body_bytes};
  }

 private:
  Status Start(const auth::CredentialLookup* credentials) {
    auto query = ParseQuery(ctx_.http.raw_query);
    if (!query) return {ErrorCode::kInvalidURI, "Couldn't parse the specified URI."};
    ctx_.query = std::move(*query);
    KUMO_RETURN_IF_ERROR(ResolveAddressing(ctx_));

    // A browser POST upload (POST /bucket, no query, multipart/form-data) carries its
    // credentials and signature in the form: PostObject authenticates it from there
    // before storing anything (ops_post_object.cc).
    const bool browser_post = IsBrowserPost();
    if (!browser_post) {
      auth::VerifyOptions vo;
      vo.now_unix = ctx_.now_ms / 1000;
      vo.allow_anonymous = true;
      KUMO_ASSIGN_OR_RETURN(ctx_.auth, auth::VerifyRequest(ctx_.http, *credentials, vo));
    }

    if (const std::string* cl = ctx_.Header("content-length")) {
      int64_t v = -1;
      auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), v);
      if (ec != std::errc() || p != cl->data() + cl->size() || v < 0) {
        return {ErrorCode::kInvalidArgument, "Invalid Content-Length"};
      }
      raw_length_ = v;
    }
    KUMO_ASSIGN_OR_RETURN(op_, Route(ctx_));
    // A browser POST is authorized by PostObject once its form has been authenticated.
    if (!browser_post) KUMO_RETURN_IF_ERROR(Authorize(ctx_, *op_));
    KUMO_RETURN_IF_ERROR(op_->Prepare(ctx_));
    if (op_->wants_body()) {
      KUMO_ASSIGN_OR_RETURN(pipeline_, BodyPipeline::Create(ctx_, op_.get(), raw_length_));
    }
    return Status::OK();
  }

  bool IsBrowserPost() const {
    std::string type = ctx_.http.HeaderOr("content-type", "").substr(0, 19);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ctx_.http.method == "POST" && !ctx_.bucket.empty() && ctx_.key.empty() &&
           ctx_.query.empty() && type == "multipart/form-data";
  }

  Response Run(Status transport) {
    if (!early_.ok()) return Error(early_);
    if (pipeline_) {
      Status body = transport.ok() ? pipeline_->Finish() : transport;
      if (!body.ok()) return Error(body);
    }
    auto r = op_->Execute(ctx_);
    if (!r.ok()) return Error(r.status());
    return std::move(r).value();
  }

  Response Error(const Status& s) {
    return ErrorResponse(s, ctx_.Resource(), ctx_.request_id, ctx_.is_head());
  }

  RequestContext ctx_;
  Status early_;
  int64_t raw_length_ = -1;
  std::unique_ptr<Operation> op_;
  std::unique_ptr<BodyPipeline> pipeline_;
};

}  // namespace

S3Service::S3Service(storage::Store* store, const auth::CredentialLookup* credentials,
                     ServiceOptions options)
    : store_(store), credentials_(credentials), options_(std::move(options)) {}

std::unique_ptr<HttpExchange> S3Service::Begin(HttpRequest request) {
  RequestContext ctx;
  ctx.http = std::move(request);
  ctx.request_id = NewRequestId();
  ctx.now_ms = NowMillis();
  ctx.store = store_;
  ctx.options = &options_;
  ctx.credentials = credentials_;
  return std::make_unique<ExchangeImpl>(std::move(ctx), credentials_);
}

std::string NewRequestId() {
  // A per-process random prefix plus a counter: unique, cheap, no lock.
  static const uint64_t prefix = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  uint64_t id = (prefix << 32) ^ counter.fetch_add(1, std::memory_order_relaxed);
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llX", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace kumo::s3
