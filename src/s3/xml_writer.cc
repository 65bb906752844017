#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

void AppendXmlEscaped(std::string_view value, std::string* out) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    switch (c) {
      case '&':
        *out += "&amp;";
        continue;
      case '<':
        *out += "&lt;";
        continue;
      case '>':
        *out += "&gt;";  // so that "]]>" never appears in character data
        continue;
      case '\r':
        *out += "&#13;";
        continue;
      case '\t':
      case '\n':
        *out += static_cast<char>(c);
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      *out += kReplacement;
    } else if (c == 0xEF && i + 2 < value.size() && value[i + 1] == '\xBF' &&
               (value[i + 2] == '\xBE' || value[i + 2] == '\xBF')) {
      *out += kReplacement;  // U+FFFE, U+FFFF
      i += 2;
    } else {
      *out += static_cast<char>(c);
    }
  }
}

XmlWriter::XmlWriter(std::string_view root, bool with_namespace) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><";
  out_ += root;
  if (with_namespace) out_ += " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
  out_ += '>';
  open_.emplace_back(root);
}

void XmlWriter::Text(std::string_view name, std::string_view value) {
  out_.append("<").append(name).append(">");
  AppendXmlEscaped(value, &out_);
  out_.append("</").append(name).append(">");
}

void XmlWriter::Value(std::string_view value) { AppendXmlEscaped(value, &out_); }

void XmlWriter::Open(std::string_view name) {
  out_.append("<").append(name).append(">");
  open_.emplace_back(name);
}

void XmlWriter::Open(std::string_view name, std::string_view attributes) {
  out_.append("<").append(name).append(" ").append(attributes).append(">");
  open_.emplace_back(name);
}

void XmlWriter::Close() {
  if (open_.size() <= 1) return;
  out_.append("</").append(open_.back()).append(">");
  open_.pop_back();
}

std::string XmlWriter::Finish() {
  while (!open_.empty()) {
    out_.append("</").append(open_.back()).append(">");
    open_.pop_back();
  }
  return std::move(out_);
}

}  // namespace kumo::s3
