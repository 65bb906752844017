// An incremental multipart/form-data parser (RFC 7578, RFC 2046 section 5.1) for S3
// browser POST uploads. The body is fed in arbitrary pieces; the small fields before the
// file are buffered (within a budget) and handed over whole, the file part's bytes are
// handed over as they arrive, never accumulated, and parts after the file are skipped
// unread (S3 ignores them) while the structure up to the closing delimiter is still
// checked. Not thread-safe: one parser per request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo::s3 {

// The boundary parameter of a "multipart/form-data; boundary=..." media type (quoted or
// not). std::nullopt when the type is not multipart/form-data or the boundary is missing,
// longer than 70 characters or contains characters RFC 2046 does not allow.
std::optional<std::string> FormDataBoundary(std::string_view content_type);

// What a part's headers say about it.
struct FormPart {
  std::string name;  // Content-Disposition name, as sent
  std::string filename;
  bool has_filename = false;
  std::string content_type;  // empty when the part has none
};

// Receives what the parser finds, in body order. An error returned by a callback stops
// the parser and is returned from Feed.
class FormDataHandler {
 public:
  virtual ~FormDataHandler() = default;
  // A complete field before the file.
  virtual Status OnField(const FormPart& part, std::string value) = 0;
  // The file part begins; its bytes follow in OnFileData calls, then OnFileEnd.
  virtual Status OnFileBegin(const FormPart& part) = 0;
  virtual Status OnFileData(std::string_view data) = 0;
  virtual Status OnFileEnd() = 0;
};

class FormDataParser {
 public:
  // The part named file_field (compared case-insensitively) is streamed; max_pre_file
  // bounds every byte before it (preamble, delimiters, part headers, field values).
  FormDataParser(std::string boundary, FormDataHandler* handler,
                 std::string_view file_field = "file", size_t max_pre_file = 20 * 1024);

  // Consumes the next piece of the body. Errors: kMalformedPOSTRequest,
  // kMaxPostPreDataLengthExceeded, or whatever the handler returns. Errors are sticky.
  Status Feed(std::string_view data);
  // The body has ended. Errors: kMalformedPOSTRequest unless the closing delimiter was
  // seen; the sticky error of Feed.
  Status Finish();

  bool file_seen() const { return file_seen_; }

 private:
  enum class State { kPreamble, kDelimiterTail, kHeaders, kBody, kSkip, kEpilogue };

  // Each step consumes a prefix of buf_ starting at pos_; returns false when it needs
  // more input.
  Result<bool> Step();
  Result<bool> StepDelimiterTail();
  Result<bool> StepHeaders();
  Result<bool> StepBody();
  Status ParseHeaderLine(std::string_view line);
  Status EndPart();
  Status Consumed(size_t n);

  const std::string delimiter_;  // "\r\n--" + boundary
  FormDataHandler* const handler_;
  const std::string file_field_;
  const size_t max_pre_file_;

  State state_ = State::kPreamble;
  std::string buf_;  // unconsumed input; buf_[pos_..] is pending
  size_t pos_ = 0;
  size_t pre_file_bytes_ = 0;
  bool tail_padding_ = false;  // transport padding seen after a delimiter
  bool in_file_ = false;
  bool file_seen_ = false;
  FormPart part_;
  std::string value_;
  Status error_;
};

}  // namespace kumo::s3
