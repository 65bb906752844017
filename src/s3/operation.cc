#include "s3/operation.h"

namespace kumo::s3 {

Result<std::vector<Permission>> Operation::Permissions(const RequestContext& ctx) const {
  const OpInfo& info = InfoOf(id_);
  switch (info.resource) {
    case ResourceKind::kAll:
      return std::vector<Permission>{{info.action, "*"}};
    case ResourceKind::kBucket:
      return std::vector<Permission>{{info.action, BucketArn(ctx.bucket)}};
    case ResourceKind::kObject:
      break;
  }
  return std::vector<Permission>{{info.action, ObjectArn(ctx.bucket, ctx.key)}};
}

Status BufferedBodyOperation::Consume(RequestContext& ctx, std::string_view data) {
  if (body_.size() + data.size() > ctx.options->max_xml_body) {
    return {ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size"};
  }
  if (!depth_.Feed(data)) {
    return {ErrorCode::kMalformedXML,
            "The XML you provided was not well-formed or did not validate against our "
            "published schema"};
  }
  body_.append(data);
  return Status::OK();
}

storage::EventIntent RequestContext::Event(std::string name) const {
  storage::EventIntent e;
  e.name = std::move(name);
  e.request_id = request_id;
  e.principal = auth.access_key;
  e.source_ip = http.remote_addr;
  return e;
}

std::string RequestContext::Resource() const {
  std::string r = "/" + bucket;
  if (!key.empty()) r += "/" + key;
  return r;
}

}  // namespace kumo::s3
