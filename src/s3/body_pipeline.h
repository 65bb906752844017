// The request-body path shared by every operation that reads a body: aws-chunked
// decoding (with chunk signatures), length accounting, the x-amz-content-sha256,
// Content-MD5 and x-amz-checksum-* verifications. Decoded bytes flow to the operation
// as they arrive; Finish() is the gate: the operation executes only if it returns OK.
// Not thread-safe: one per request.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "auth/aws_chunked.h"
#include "common/hash.h"
#include "common/status.h"
#include "s3/checksum.h"
#include "s3/operation.h"

namespace kumo::s3 {

class BodyPipeline {
 public:
  // raw_length: Content-Length or -1. Errors: kEntityTooLarge, kInvalidDigest on a
  // malformed Content-MD5, kInvalidRequest on checksum headers that S3 rejects (see
  // ParseRequestChecksum), kMissingContentLength.
  static Result<std::unique_ptr<BodyPipeline>> Create(RequestContext& ctx, Operation* op,
                                                      int64_t raw_length);
  Status Feed(std::string_view raw);
  // Errors: kIncompleteBody, kXAmzContentSHA256Mismatch, kBadDigest, kInvalidRequest.
  Status Finish();

 private:
  BodyPipeline(RequestContext& ctx, Operation* op) : ctx_(ctx), op_(op) {}
  Status Decoded(std::string_view data);
  Status VerifyChecksum();

  RequestContext& ctx_;
  Operation* op_;
  int64_t expected_decoded_ = -1;
  uint64_t raw_seen_ = 0;
  std::unique_ptr<auth::AwsChunkedDecoder> chunked_;
  Hasher md5_{Hasher::Algorithm::kMd5};
  std::optional<Hasher> sha256_;
  std::unique_ptr<Checksummer> checksum_;
  std::string checksum_expected_;  // base64, from a header; empty when from a trailer
  std::string content_md5_;        // raw, from Content-MD5
};

}  // namespace kumo::s3
