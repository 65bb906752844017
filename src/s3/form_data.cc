#include "s3/form_data.h"

#include <algorithm>
#include <cctype>

namespace kumo::s3 {

namespace {

constexpr std::string_view kMalformed =
    "The body of your POST request is not well-formed multipart/form-data.";

Status Malformed() { return {ErrorCode::kMalformedPOSTRequest, std::string(kMalformed)}; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One "; attr=value" parameter list, as in Content-Type and Content-Disposition. Values
// may be quoted; inside quotes only \" and \\ are escapes (browsers send a Windows path's
// backslashes as they are). Returns false on an unterminated quote.
bool ParseParams(std::string_view s, StringPairs* out) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    std::string attr = Lower(Trim(s.substr(start, i - start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        bool closed = false;
        while (i < s.size()) {
          char c = s[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\')) c = s[i++];
          value.push_back(c);
        }
        if (!closed) return false;
      } else {
        start = i;
        while (i < s.size() && s[i] != ';') ++i;
        value = std::string(Trim(s.substr(start, i - start)));
      }
    }
    if (!attr.empty()) out->emplace_back(std::move(attr), std::move(value));
  }
  return true;
}

bool ValidBoundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
  });
}

}  // namespace

std::optional<std::string> FormDataBoundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  StringPairs params;
  if (!ParseParams(content_type.substr(semi + 1), &params)) return std::nullopt;
  for (auto& [name, value] : params) {
    if (name == "boundary") {
      if (!ValidBoundary(value)) return std::nullopt;
      return std::move(value);
    }
  }
  return std::nullopt;
}

FormDataParser::FormDataParser(std::string boundary, FormDataHandler* handler,
                               std::string_view file_field, size_t max_pre_file)
    : delimiter_("\r\n--" + boundary),
      handler_(handler),
      file_field_(Lower(file_field)),
      max_pre_file_(max_pre_file),
      // The first delimiter may open the body without a CRLF before it.
      buf_("\r\n") {}

Status FormDataParser::Feed(std::string_view data) {
  if (!error_.ok()) return error_;
  buf_.append(data);
  for (;;) {
    Result<bool> more = Step();
    if (!more.ok()) {
      error_ = more.status();
      return error_;
    }
    if (!*more) break;
  }
  buf_.erase(0, pos_);
  pos_ = 0;
  // Only a header line waits for more input without bound; everything else leaves less
  // than a delimiter pending.
  if (state_ == State::kHeaders && pre_file_bytes_ + buf_.size() > max_pre_file_) {
    error_ = {ErrorCode::kMaxPostPreDataLengthExceeded,
              "Your POST request fields preceding the upload file were too large."};
  }
  return error_;
}

Status FormDataParser::Finish() {
  if (!error_.ok()) return error_;
  if (state_ != State::kEpilogue) error_ = Malformed();
  return error_;
}

Status FormDataParser::Consumed(size_t n) {
  pos_ += n;
  if (file_seen_) return Status::OK();
  pre_file_bytes_ += n;
  if (pre_file_bytes_ > max_pre_file_) {
    return {ErrorCode::kMaxPostPreDataLengthExceeded,
            "Your POST request fields preceding the upload file were too large."};
  }
  return Status::OK();
}

Result<bool> FormDataParser::Step() {
  std::string_view pending = std::string_view(buf_).substr(pos_);
  switch (state_) {
    case State::kPreamble:
    case State::kSkip: {
      // Discard up to the next delimiter, keeping what may be its beginning.
      size_t at = pending.find(delimiter_);
      if (at == std::string_view::npos) {
        KUMO_RETURN_IF_ERROR(
            Consumed(pending.size() - std::min(pending.size(), delimiter_.size() - 1)));
        return false;
      }
      KUMO_RETURN_IF_ERROR(Consumed(at + delimiter_.size()));
      state_ = State::kDelimiterTail;
      tail_padding_ = false;
      return true;
    }
    case State::kDelimiterTail:
      return StepDelimiterTail();
    case State::kHeaders:
      return StepHeaders();
    case State::kBody:
      return StepBody();
    case State::kEpilogue:
      pos_ = buf_.size();
      return false;
  }
  return false;
}

Result<bool> FormDataParser::StepDelimiterTail() {
  std::string_view p = std::string_view(buf_).substr(pos_);
  if (p.empty()) return false;
  if (p[0] == '-' && !tail_padding_) {
    if (p.size() < 2) return false;
    if (p[1] != '-') return Malformed();
    KUMO_RETURN_IF_ERROR(Consumed(2));
    state_ = State::kEpilogue;
    return true;
  }
  if (p[0] == ' ' || p[0] == '\t') {  // transport padding (RFC 2046)
    tail_padding_ = true;
    KUMO_RETURN_IF_ERROR(Consumed(1));
    return true;
  }
  if (p[0] != '\r') return Malformed();
  if (p.size() < 2) return false;
  if (p[1] != '\n') return Malformed();
  KUMO_RETURN_IF_ERROR(Consumed(2));
  part_ = FormPart{};
  state_ = file_seen_ ? State::kSkip : State::kHeaders;
  return true;
}

Result<bool> FormDataParser::StepHeaders() {
  std::string_view p = std::string_view(buf_).substr(pos_);
  size_t eol = p.find("\r\n");
  if (eol == std::string_view::npos) return false;
  std::string_view line = p.substr(0, eol);
  if (!line.empty()) {
    // The size first: a line that arrived whole must fail as one that is still arriving
    // does (Feed's check), whatever it holds.
    KUMO_RETURN_IF_ERROR(Consumed(eol + 2));
    KUMO_RETURN_IF_ERROR(ParseHeaderLine(line));
    return true;
  }
  KUMO_RETURN_IF_ERROR(Consumed(2));
  if (part_.name.empty()) return Malformed();
  state_ = State::kBody;
  value_.clear();
  if (Lower(part_.name) == file_field_) {
    in_file_ = file_seen_ = true;
    KUMO_RETURN_IF_ERROR(handler_->OnFileBegin(part_));
  }
  return true;
}

Status FormDataParser::ParseHeaderLine(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Malformed();
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string_view value = Trim(line.substr(colon + 1));
  if (name == "content-type") {
    part_.content_type = std::string(value);
  } else if (name == "content-disposition") {
    size_t semi = value.find(';');
    if (Lower(Trim(value.substr(0, semi))) != "form-data") return Malformed();
    StringPairs params;
    if (semi != std::string_view::npos && !ParseParams(value.substr(semi + 1), &params)) {
      return Malformed();
    }
    for (auto& [attr, v] : params) {
      if (attr == "name") part_.name = std::move(v);
      if (attr == "filename") {
        part_.filename = std::move(v);
        part_.has_filename = true;
      }
    }
  }
  return Status::OK();
}

Result<bool> FormDataParser::StepBody() {
  std::string_view p = std::string_view(buf_).substr(pos_);
  size_t at = p.find(delimiter_);
  bool ended = at != std::string_view::npos;
  // Without a delimiter, hold back what may be its beginning.
  size_t n = ended ? at : p.size() - std::min(p.size(), delimiter_.size() - 1);
  std::string_view data = p.substr(0, n);
  if (in_file_) {
    if (!data.empty()) KUMO_RETURN_IF_ERROR(handler_->OnFileData(data));
    KUMO_RETURN_IF_ERROR(Consumed(n));
  } else {
    KUMO_RETURN_IF_ERROR(Consumed(n));
    value_.append(data);
  }
  if (!ended) return false;
  KUMO_RETURN_IF_ERROR(Consumed(delimiter_.size()));
  KUMO_RETURN_IF_ERROR(EndPart());
  state_ = State::kDelimiterTail;
  tail_padding_ = false;
  return true;
}

Status FormDataParser::EndPart() {
  if (in_file_) {
    in_file_ = false;
    return handler_->OnFileEnd();
  }
  return handler_->OnField(part_, std::move(value_));
}

}  // namespace kumo::s3
