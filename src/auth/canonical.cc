// The SigV4 canonical request and string-to-sign, with S3's rules: the path is not
// normalized ('.', '..' and '//' are kept, since they are part of object keys) and each
// path byte is URI-encoded exactly once.
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"
#include "common/hash.h"

namespace kumo::auth {
namespace {

std::string CanonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  // Clients encode differently ('!' or '*' raw or escaped), so decode to the bytes of the
  // key and re-encode the one canonical way. A malformed escape is signed as received;
  // the signature then simply fails to match.
  std::optional<std::string> decoded = UrlDecode(raw_path);
  if (!decoded) return std::string(raw_path);
  return UrlEncode(*decoded, /*keep_slash=*/true);
}

std::string CanonicalQuery(std::string_view raw_query, bool exclude_signature_param) {
  std::optional<StringPairs> params = ParseQuery(raw_query);
  if (!params) return std::string(raw_query);
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params->size());
  for (const auto& [name, value] : *params) {
    if (exclude_signature_param && name == "X-Amz-Signature") continue;
    encoded.emplace_back(UrlEncode(name), UrlEncode(value));
  }
  // Sorted on the encoded form, as the SDKs (botocore, aws-sdk-js) do.
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out.append(name).push_back('=');
    out.append(value);
  }
  return out;
}

// One "name:value\n" line per signed name, the values of repeated headers joined with ','
// in arrival order. The headers are sorted once and each name is a binary search, so the
// cost is O((names + headers) log headers); a scan of all headers per name made a long
// SignedHeaders list cost names x headers.
void AppendCanonicalHeaders(const HttpRequest& request, std::string_view signed_headers,
                            std::string* out) {
  struct Header {
    std::string_view name, value;
  };
  // Heterogeneous, for std::equal_range on a name. Not std::ranges with a projection:
  // clang 14 (the fuzz build, tests/fuzz/) cannot compile libstdc++ 12's ranges.
  struct ByName {
    bool operator()(const Header& a, const Header& b) const { return a.name < b.name; }
    bool operator()(const Header& a, std::string_view b) const { return a.name < b; }
    bool operator()(std::string_view a, const Header& b) const { return a < b.name; }
  };
  std::vector<Header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) headers.push_back({name, value});
  std::stable_sort(headers.begin(), headers.end(), ByName());
  size_t pos = 0;
  while (pos <= signed_headers.size()) {
    size_t end = signed_headers.find(';', pos);
    if (end == std::string_view::npos) end = signed_headers.size();
    std::string_view name = signed_headers.substr(pos, end - pos);
    out->append(name).push_back(':');
    bool first = true;
    auto [begin, end_of_name] = std::equal_range(headers.begin(), headers.end(), name, ByName());
    for (auto it = begin; it != end_of_name; ++it) {
      if (!first) out->push_back(',');
      internal::AppendTrimAll(it->value, out);
      first = false;
    }
    out->push_back('\n');
    pos = end + 1;
  }
}

}  // namespace

std::string CanonicalRequest(const HttpRequest& request, std::string_view signed_headers,
                             std::string_view payload_hash, bool exclude_signature_param) {
  std::string out;
  out.reserve(512);
  out.append(request.method).push_back('\n');
  out.append(CanonicalUri(request.raw_path)).push_back('\n');
  out.append(CanonicalQuery(request.raw_query, exclude_signature_param)).push_back('\n');
  AppendCanonicalHeaders(request, signed_headers, &out);
  out.push_back('\n');
  out.append(signed_headers).push_back('\n');
  out.append(payload_hash);
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(internal::kAlgorithm);
  out.push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out.append(Sha256Hex(canonical_request));
  return out;
}

namespace internal {

std::string TrimAll(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendTrimAll(value, &out);
  return out;
}

void AppendTrimAll(std::string_view value, std::string* out) {
  bool started = false, pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = started;
      continue;
    }
    if (pending_space) out->push_back(' ');
    pending_space = false;
    started = true;
    out->push_back(c);
  }
}

}  // namespace internal
}  // namespace kumo::auth
