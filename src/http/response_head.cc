#include "http/response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <ostream>  // before Beast's status.hpp, which uses std::ostream without it
#include <string_view>

namespace kumo::http {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void AppendNumber(std::string* out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendSanitized(std::string* out, std::string_view value) {
  size_t from = out->size();
  out->append(value);
  for (size_t i = from; i < out->size(); ++i) {
    if ((*out)[i] == '\r' || (*out)[i] == '\n') (*out)[i] = ' ';
  }
}

}  // namespace

std::string RenderResponseHead(int status, const StringPairs& headers,
                               std::optional<uint64_t> content_length, bool keep_alive) {
  std::string out;
  size_t size = 64;
  for (const auto& [name, value] : headers) size += name.size() + value.size() + 4;
  out.reserve(size);
  out.append("HTTP/1.1 ");
  AppendNumber(&out, static_cast<uint64_t>(status));
  out.push_back(' ');
  std::string_view reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out.append(reason);
  out.append("\r\n");
  for (size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    bool replaced_later = false;
    for (size_t j = i + 1; j < headers.size() && !replaced_later; ++j) {
      replaced_later = SameName(name, headers[j].first);
    }
    if (replaced_later) continue;
    AppendSanitized(&out, name);
    out.append(": ");
    AppendSanitized(&out, value);
    out.append("\r\n");
  }
  if (content_length) {
    out.append("Content-Length: ");
    AppendNumber(&out, *content_length);
    out.append("\r\n");
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace kumo::http
