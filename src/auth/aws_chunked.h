// Incremental decoder of the aws-chunked content encoding used by SigV4 streaming uploads:
//   <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer-name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n]]\r\n
// Every chunk signature is verified (signed modes), as is the trailer signature.
// Not thread-safe: one decoder per request body.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "common/hash.h"
#include "common/http_request.h"
#include "common/status.h"

namespace kumo::auth {

class AwsChunkedDecoder {
 public:
  // ctx carries the seed signature and signing key; mode must be one of the streaming
  // modes. Decoded bytes are handed to sink as they arrive (possibly before the chunk's
  // signature is checked: the caller must discard everything on any error).
  using Sink = std::function<Status(std::string_view)>;
  AwsChunkedDecoder(const AuthContext& ctx, Sink sink);

  // Consumes raw body bytes. Errors: kSignatureDoesNotMatch (bad chunk or trailer
  // signature), kIncompleteBody / kInvalidRequest (framing), or the sink's error.
  Status Feed(std::string_view raw);
  // Call at end of the raw body. Errors: kIncompleteBody if the final chunk (and trailer
  // section) did not arrive.
  Status Finish();

  uint64_t decoded_bytes() const { return decoded_bytes_; }
  // Trailers received (names lower-case), e.g. {"x-amz-checksum-crc32", "<b64>"}.
  const StringPairs& trailers() const { return trailers_; }

 private:
  // Implementation state; see aws_chunked.cc.
  enum class State { kSizeLine, kData, kDataCrlf, kTrailer, kDone };
  Status FeedSome(std::string_view raw);
  // Moves bytes of raw into line_ up to and including '\n'; *complete once a whole line
  // (without its CR LF) is in line_. Errors: kInvalidRequest past kMaxLine bytes.
  Status TakeLine(std::string_view* raw, bool* complete);
  Status ParseSizeLine(std::string_view line);
  Status ParseTrailerLine(std::string_view line);
  Status EndChunk();
  Status EndTrailers();

  static constexpr size_t kMaxLine = 4096;
  static constexpr size_t kMaxTrailers = 16;

  AuthContext ctx_;
  Sink sink_;
  Status status_;  // first error; sticky, every later call returns it
  State state_ = State::kSizeLine;
  std::string line_;  // partial header/trailer line
  uint64_t chunk_remaining_ = 0;
  int crlf_seen_ = 0;  // bytes of the CR LF after chunk data consumed so far
  std::string chunk_signature_;
  std::string previous_signature_;
  Hasher chunk_hasher_{Hasher::Algorithm::kSha256};  // signed modes only
  uint64_t decoded_bytes_ = 0;
  StringPairs trailers_;
  std::string trailer_text_;  // canonical trailer text for the trailer signature
  bool signed_ = false;
  bool has_trailer_ = false;
  bool trailer_signature_seen_ = false;
};

}  // namespace kumo::auth
