#include "bench/request_builder.h"

#include <charconv>

namespace kumo::bench {
namespace {

constexpr std::string_view kUserAgent = "kumo-bench/0.1";

void AppendHeader(std::string* out, std::string_view name, std::string_view value) {
  out->append(name).append(": ").append(value).append("\r\n");
}

void AppendLength(std::string* out, int64_t content_length) {
  if (content_length < 0) return;
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof(digits), content_length).ptr;
  AppendHeader(out, "Content-Length", std::string_view(digits, end - digits));
}

}  // namespace

RequestBuilder::RequestBuilder(const Options& options) : options_(options) {
  signer_.access_key = options.access_key;
  signer_.secret_key = options.secret_key;
  signer_.region = options.region;
  signer_.payload_sha256 = "UNSIGNED-PAYLOAD";
}

void RequestBuilder::RefreshDate() {
  std::time_t now = std::time(nullptr);
  if (now == date_second_ && !signer_.amz_date.empty()) return;
  date_second_ = now;
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[20];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &tm);
  signer_.amz_date = text;
}

void RequestBuilder::SignedHead(std::string_view method, std::string_view path,
                                std::string_view query, int64_t content_length, std::string* out) {
  RefreshDate();
  request_.method.assign(method);
  request_.raw_path.assign(path);
  request_.raw_query.assign(query);
  request_.target.assign(path);
  if (!query.empty()) request_.target.append("?").append(query);
  request_.headers.clear();
  request_.headers.emplace_back("host", options_.host_header);
  if (method == "PUT" && query.empty() && !options_.content_type.empty()) {
    request_.headers.emplace_back("content-type", options_.content_type);
  }
  auth::SignRequest(request_, signer_);

  out->clear();
  out->append(method).append(" ").append(request_.target).append(" HTTP/1.1\r\n");
  for (const auto& [name, value] : request_.headers) AppendHeader(out, name, value);
  AppendHeader(out, "user-agent", kUserAgent);  // not signed, as the AWS SDKs do
  AppendLength(out, content_length);
  out->append("\r\n");
}

void RequestBuilder::PlainHead(std::string_view method, std::string_view target,
                               int64_t content_length, std::string* out) const {
  out->clear();
  out->append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  AppendHeader(out, "host", options_.host_header);
  if (method == "PUT" && !options_.content_type.empty()) {
    AppendHeader(out, "content-type", options_.content_type);
  }
  AppendHeader(out, "user-agent", kUserAgent);
  AppendLength(out, content_length);
  out->append("\r\n");
}

std::string RequestBuilder::PresignedTarget(std::string_view method, std::string_view path,
                                            int64_t expires_seconds) {
  RefreshDate();
  HttpRequest request;
  request.method.assign(method);
  request.raw_path.assign(path);
  request.target.assign(path);
  request.headers.emplace_back("host", options_.host_header);
  return std::string(path) + "?" + auth::PresignQuery(request, signer_, expires_seconds);
}

}  // namespace kumo::bench
