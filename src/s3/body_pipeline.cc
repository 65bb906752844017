#include "s3/body_pipeline.h"

#include <charconv>

#include "s3/request_checksum.h"

namespace kumo::s3 {

namespace {
bool IsStreaming(auth::PayloadMode m) {
  return m == auth::PayloadMode::kStreamingSigned ||
         m == auth::PayloadMode::kStreamingSignedTrailer ||
         m == auth::PayloadMode::kStreamingUnsignedTrailer;
}

std::optional<int64_t> ParseLength(const std::string* v) {
  if (v == nullptr) return std::nullopt;
  int64_t n = -1;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 0) return std::nullopt;
  return n;
}
}  // namespace

Result<std::unique_ptr<BodyPipeline>> BodyPipeline::Create(RequestContext& ctx, Operation* op,
                                                           int64_t raw_length) {
  std::unique_ptr<BodyPipeline> p(new BodyPipeline(ctx, op));
  if (IsStreaming(ctx.auth.payload)) {
    const std::string* decoded = ctx.Header("x-amz-decoded-content-length");
    auto n = ParseLength(decoded);
    if (!n) {
      return Status(ErrorCode::kMissingContentLength,
                    "You must provide the Content-Length HTTP header.");
    }
    p->expected_decoded_ = *n;
    p->chunked_ = std::make_unique<auth::AwsChunkedDecoder>(
        ctx.auth, [raw = p.get()](std::string_view d) { return raw->Decoded(d); });
  } else {
    p->expected_decoded_ = raw_length;
  }
  if (p->expected_decoded_ > static_cast<int64_t>(ctx.options->max_object_size)) {
    return Status(ErrorCode::kEntityTooLarge,
                  "Your proposed upload exceeds the maximum allowed size");
  }
  if (ctx.auth.payload == auth::PayloadMode::kSigned)
    p->sha256_.emplace(Hasher::Algorithm::kSha256);

  if (const std::string* md5 = ctx.Header("content-md5")) {
    if (!Base64Decode(*md5, &p->content_md5_) || p->content_md5_.size() != 16) {
      return Status(ErrorCode::kInvalidDigest, "The Content-MD5 you specified was invalid.");
    }
  }
  // A checksum either comes as a header now or is announced in x-amz-trailer.
  if (ChecksumHeadersDescribeBody(ctx.http, ctx.HasQuery("uploadId"))) {
    KUMO_ASSIGN_OR_RETURN(auto declared, ParseRequestChecksum(ctx.http));
    if (declared) {
      if (declared->trailer && !p->chunked_) {
        return Status(ErrorCode::kInvalidRequest, "x-amz-trailer needs an aws-chunked body");
      }
      p->checksum_ = std::make_unique<Checksummer>(declared->algorithm);
      p->checksum_expected_ = declared->value;
    }
  }
  return p;
}

Status BodyPipeline::Feed(std::string_view raw) {
  raw_seen_ += raw.size();
  if (chunked_) return chunked_->Feed(raw);
  return Decoded(raw);
}

Status BodyPipeline::Decoded(std::string_view data) {
  ctx_.body_bytes += data.size();
  if (expected_decoded_ >= 0 && ctx_.body_bytes > static_cast<uint64_t>(expected_decoded_)) {
    return {ErrorCode::kInvalidRequest, "The body is longer than the declared length"};
  }
  if (ctx_.body_bytes > ctx_.options->max_object_size) {
    return {ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size"};
  }
  md5_.Update(data);
  if (sha256_) sha256_->Update(data);
  if (checksum_) checksum_->Update(data);
  return op_->Consume(ctx_, data);
}

Status BodyPipeline::Finish() {
  if (chunked_) KUMO_RETURN_IF_ERROR(chunked_->Finish());
  if (expected_decoded_ >= 0 && ctx_.body_bytes != static_cast<uint64_t>(expected_decoded_)) {
    return {ErrorCode::kIncompleteBody,
            "You did not provide the number of bytes specified by the Content-Length HTTP "
            "header."};
  }
  ctx_.body_md5 = md5_.Finish();
  if (sha256_) {
    std::string actual = HexEncode(sha256_->Finish());
    if (actual != ctx_.auth.expected_payload_sha256) {
      return {ErrorCode::kXAmzContentSHA256Mismatch,
              "The provided 'x-amz-content-sha256' header does not match what was computed."};
    }
  }
  if (!content_md5_.empty() && content_md5_ != ctx_.body_md5) {
    return {ErrorCode::kBadDigest, "The Content-MD5 you specified did not match what we received."};
  }
  return VerifyChecksum();
}

Status BodyPipeline::VerifyChecksum() {
  if (!checksum_) return Status::OK();
  const ChecksumAlgorithm alg = checksum_->algorithm();
  std::string name = "x-amz-checksum-" + std::string(ChecksumName(alg));
  std::string expected = checksum_expected_;
  if (expected.empty() && chunked_) {
    for (const auto& [n, v] : chunked_->trailers()) {
      if (n == name) expected = v;
    }
    if (expected.empty()) {
      return {ErrorCode::kInvalidRequest, "The trailer " + name + " was announced but not sent"};
    }
    std::string raw;
    if (!Base64Decode(expected, &raw) || raw.size() != ChecksumDigestSize(alg)) {
      return {ErrorCode::kInvalidRequest, "Value for " + name + " trailing header is invalid."};
    }
  }
  std::string actual = checksum_->FinishBase64();
  if (actual != expected) {
    return {ErrorCode::kBadDigest, "The " + std::string(ChecksumUpperName(alg)) +
                                       " you specified did not match the calculated checksum."};
  }
  ctx_.checksums.emplace_back(std::string(ChecksumName(alg)), actual);
  return Status::OK();
}

}  // namespace kumo::s3
