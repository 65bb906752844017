// A transport-neutral view of one HTTP request head, filled by src/http/ from the wire
// and consumed by auth/ and s3/, which therefore never see Beast or a socket.
// Plain value; not synchronized.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kumo {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;     // upper case, e.g. "PUT"
  std::string target;     // request-target exactly as received
  std::string raw_path;   // target up to '?', still percent-encoded
  std::string raw_query;  // target after '?', still percent-encoded, without '?'
  StringPairs headers;    // names lower-cased, values trimmed, in arrival order
  std::string remote_addr;
  bool tls = false;  // arrived over HTTPS: URLs pointing back at kumod use https://
  // The whole body of an admin call (/_kumo/, at most 64 KiB); S3 bodies are streamed to
  // their operation instead and never held here.
  std::string body;

  // "http://host" or "https://host" for URLs that point back at this server (Location).
  std::string SelfOrigin() const;

  // Returns the first header with this lower-case name, or nullptr.
  const std::string* Header(std::string_view lower_name) const;
  std::string HeaderOr(std::string_view lower_name, std::string_view fallback) const;
};

// Percent-decodes; with plus_as_space, '+' becomes ' ' (form/query semantics).
// Returns std::nullopt on a malformed escape.
std::optional<std::string> UrlDecode(std::string_view in, bool plus_as_space = false);
// RFC 3986 unreserved set kept, everything else %XX (upper case), as SigV4 requires.
// With keep_slash, '/' is kept (paths).
std::string UrlEncode(std::string_view in, bool keep_slash = false);
// Splits a raw query into decoded (name, value) pairs in order; a name without '='
// has an empty value. Returns std::nullopt on a malformed escape.
std::optional<StringPairs> ParseQuery(std::string_view raw_query);

}  // namespace kumo
