// PutBucketNotificationConfiguration and GetBucketNotificationConfiguration: the event
// bindings of a bucket (ARCHITECTURE §3), validated against the configured handlers and
// stored as the normalized S3 XML document.
#include "events/notification_config.h"
#include "s3/ops.h"

namespace kumo::s3 {

namespace {

constexpr std::string_view kConfigName = "notification";

class PutBucketNotification final : public BufferedBodyOperation {
 public:
  PutBucketNotification() : BufferedBodyOperation(OpId::kPutBucketNotificationConfiguration) {}
  Result<Response> Execute(RequestContext& ctx) override {
    auto known = [&](const std::string& arn) {
      return ctx.options->known_arn && ctx.options->known_arn(arn);
    };
    KUMO_ASSIGN_OR_RETURN(auto config, events::ParseNotificationConfig(body_, known));
    KUMO_RETURN_IF_ERROR(ctx.store->PutBucketConfig(ctx.bucket, kConfigName,
                                                    events::RenderNotificationConfig(config)));
    if (ctx.options->on_notification_config) {
      std::vector<std::string> arns;
      for (const auto& rule : config.rules) arns.push_back(rule.arn);
      ctx.options->on_notification_config(ctx.bucket, arns);
    }
    return Response{};
  }
};

class GetBucketNotification final : public Operation {
 public:
  GetBucketNotification() : Operation(OpId::kGetBucketNotificationConfiguration) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto stored, ctx.store->GetBucketConfig(ctx.bucket, kConfigName));
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = stored ? *stored : events::RenderNotificationConfig({});
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakePutBucketNotification() {
  return std::make_unique<PutBucketNotification>();
}
std::unique_ptr<Operation> MakeGetBucketNotification() {
  return std::make_unique<GetBucketNotification>();
}

}  // namespace kumo::s3
