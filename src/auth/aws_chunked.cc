// aws-chunked decoding: a byte-driven state machine, so the body may arrive split at any
// position. Chunk data flows straight to the sink; only header and trailer lines are
// buffered, and those are bounded.
#include "auth/aws_chunked.h"

#include <algorithm>
#include <cctype>

namespace kumo::auth {
namespace {

constexpr std::string_view kChunkSignature = "chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

Status Framing(std::string message) {
  return Status(ErrorCode::kInvalidRequest, std::move(message));
}

Status Mismatch() {
  return Status(ErrorCode::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.");
}

Status Incomplete() {
  return Status(ErrorCode::kIncompleteBody,
                "The request body terminated unexpectedly before the final chunk.");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

AwsChunkedDecoder::AwsChunkedDecoder(const AuthContext& ctx, Sink sink)
    : ctx_(ctx), sink_(std::move(sink)), previous_signature_(ctx.seed_signature) {
  switch (ctx.payload) {
    case PayloadMode::kStreamingSigned:
      signed_ = true;
      break;
    case PayloadMode::kStreamingSignedTrailer:
      signed_ = has_trailer_ = true;
      break;
    case PayloadMode::kStreamingUnsignedTrailer:
      has_trailer_ = true;
      break;
    default:
      status_ = Status::Internal("AwsChunkedDecoder needs a streaming payload mode");
  }
}

Status AwsChunkedDecoder::Feed(std::string_view raw) {
  if (status_.ok()) status_ = FeedSome(raw);
  return status_;
}

Status AwsChunkedDecoder::FeedSome(std::string_view raw) {
  while (!raw.empty()) {
    switch (state_) {
      case State::kSizeLine:
      case State::kTrailer: {
        bool complete = false;
        KUMO_RETURN_IF_ERROR(TakeLine(&raw, &complete));
        if (!complete) break;
        std::string line = std::move(line_);
        line_.clear();
        KUMO_RETURN_IF_ERROR(state_ == State::kSizeLine ? ParseSizeLine(line)
                                                        : ParseTrailerLine(line));
        break;
      }
      case State::kData: {
        std::string_view piece = raw.substr(0, std::min<uint64_t>(raw.size(), chunk_remaining_));
        raw.remove_prefix(piece.size());
        if (signed_) chunk_hasher_.Update(piece);
        chunk_remaining_ -= piece.size();
        decoded_bytes_ += piece.size();
        KUMO_RETURN_IF_ERROR(sink_(piece));
        if (chunk_remaining_ == 0) {
          KUMO_RETURN_IF_ERROR(EndChunk());
          state_ = State::kDataCrlf;
        }
        break;
      }
      case State::kDataCrlf:
        if (raw.front() != (crlf_seen_ == 0 ? '\r' : '\n')) {
          return Framing("Chunk data is not followed by CRLF.");
        }
        raw.remove_prefix(1);
        if (++crlf_seen_ == 2) {
          crlf_seen_ = 0;
          state_ = State::kSizeLine;
        }
        break;
      case State::kDone:
        // Stray line ends after the last CRLF are harmless; anything else is not.
        if (raw.front() != '\r' && raw.front() != '\n') {
          return Framing("Unexpected data after the final chunk.");
        }
        raw.remove_prefix(1);
        break;
    }
  }
  return Status::OK();
}

Status AwsChunkedDecoder::TakeLine(std::string_view* raw, bool* complete) {
  size_t nl = raw->find('\n');
  size_t take = nl == std::string_view::npos ? raw->size() : nl;
  if (line_.size() + take > kMaxLine) return Framing("Chunk header or trailer line too long.");
  line_.append(raw->substr(0, take));
  raw->remove_prefix(nl == std::string_view::npos ? take : take + 1);
  *complete = nl != std::string_view::npos;
  if (*complete && !line_.empty() && line_.back() == '\r') line_.pop_back();
  return Status::OK();
}

Status AwsChunkedDecoder::ParseSizeLine(std::string_view line) {
  size_t semi = line.find(';');
  std::string_view hex = line.substr(0, semi);
  if (hex.empty() || hex.size() > 15) return Framing("Invalid chunk size.");
  uint64_t size = 0;
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return Framing("Invalid chunk size.");
    size = size * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  if (signed_) {
    std::string_view ext = semi == std::string_view::npos ? "" : line.substr(semi + 1);
    if (ext.substr(0, kChunkSignature.size()) != kChunkSignature) {
      return Framing("Missing chunk-signature.");
    }
    chunk_signature_ = std::string(ext.substr(kChunkSignature.size()));
  }
  // Unsigned chunks may carry other extensions; they mean nothing to S3 and are ignored.
  chunk_remaining_ = size;
  if (size > 0) {
    state_ = State::kData;
    return Status::OK();
  }
  state_ = State::kTrailer;
  return EndChunk();  // the final chunk is signed too, over empty data
}

Status AwsChunkedDecoder::EndChunk() {
  if (!signed_) return Status::OK();
  std::string expected =
      ChunkSignature(ctx_, previous_signature_, HexEncode(chunk_hasher_.Finish()));
  if (!ConstantTimeEquals(expected, chunk_signature_)) return Mismatch();
  previous_signature_ = std::move(expected);
  return Status::OK();
}

Status AwsChunkedDecoder::ParseTrailerLine(std::string_view line) {
  if (line.empty()) return EndTrailers();
  if (!has_trailer_) return Framing("Trailers are not allowed without x-amz-trailer.");
  if (trailer_signature_seen_) return Framing("Trailer after x-amz-trailer-signature.");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return Framing("Malformed trailer.");
  std::string name(Trim(line.substr(0, colon)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = Trim(line.substr(colon + 1));
  if (name == kTrailerSignature) {
    // Unsigned-trailer bodies have nothing to check it against; it is simply dropped.
    if (!signed_) return Status::OK();
    std::string expected = TrailerSignature(ctx_, previous_signature_, Sha256Hex(trailer_text_));
    if (!ConstantTimeEquals(expected, value)) return Mismatch();
    trailer_signature_seen_ = true;
    return Status::OK();
  }
  if (trailers_.size() >= kMaxTrailers) return Framing("Too many trailers.");
  trailer_text_.append(name).push_back(':');
  trailer_text_.append(value).push_back('\n');
  trailers_.emplace_back(std::move(name), std::string(value));
  return Status::OK();
}

Status AwsChunkedDecoder::EndTrailers() {
  // A signed-trailer body must prove its trailers, even when there are none.
  if (signed_ && has_trailer_ && !trailer_signature_seen_) {
    return Status(ErrorCode::kSignatureDoesNotMatch, "The trailer signature is missing.");
  }
  state_ = State::kDone;
  return Status::OK();
}

Status AwsChunkedDecoder::Finish() {
  if (!status_.ok()) return status_;
  if (state_ == State::kTrailer) {
    // Be liberal about the end of the trailer section: some clients omit the last CRLF
    // (or the CRLF of the last trailer line).
    if (!line_.empty()) {
      std::string line = std::move(line_);
      line_.clear();
      if (line.back() == '\r') line.pop_back();
      status_ = ParseTrailerLine(line);
      if (!status_.ok()) return status_;
    }
    if (state_ == State::kTrailer) {
      status_ = EndTrailers();
      if (status_.Is(ErrorCode::kSignatureDoesNotMatch)) status_ = Incomplete();
      return status_;
    }
  }
  if (state_ != State::kDone) status_ = Incomplete();
  return status_;
}

}  // namespace kumo::auth
