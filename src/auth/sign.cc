// Client-side signing (kumo CLI, kumo-bench), built from the same blocks as the verifier
// so the two cannot drift apart.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"

namespace kumo::auth {
namespace {

std::string DateOrNow(const SignInput& input) {
  if (!input.amz_date.empty()) return input.amz_date;
  return internal::FormatAmzDate(static_cast<int64_t>(std::time(nullptr)));
}

std::string Scope(std::string_view amz_date, const SignInput& input) {
  return std::string(amz_date.substr(0, 8)) + "/" + input.region + "/s3/aws4_request";
}

// Sorted, de-duplicated, ';'-joined names of every header except authorization.
std::string SignedHeaderList(const HttpRequest& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) {
    if (name != "authorization") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out.push_back(';');
    out += name;
  }
  return out;
}

std::string Sign(const HttpRequest& request, const SignInput& input, std::string_view amz_date,
                 std::string_view signed_headers, std::string_view payload_hash, bool presigned) {
  std::string key = internal::SigningKeyCache::Global().Get(input.secret_key, amz_date.substr(0, 8),
                                                            input.region);
  std::string canonical = CanonicalRequest(request, signed_headers, payload_hash, presigned);
  return internal::SignatureHex(key, StringToSign(amz_date, Scope(amz_date, input), canonical));
}

}  // namespace

void SignRequest(HttpRequest& request, const SignInput& input) {
  std::string amz_date = DateOrNow(input);
  // Replace, never duplicate, the headers this function owns.
  std::erase_if(request.headers, [](const auto& header) {
    std::string name = header.first;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name == "authorization" || name == "x-amz-date" || name == "x-amz-content-sha256";
  });
  for (auto& [name, value] : request.headers) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  request.headers.emplace_back("x-amz-date", amz_date);
  request.headers.emplace_back("x-amz-content-sha256", input.payload_sha256);
  std::string signed_headers = SignedHeaderList(request);
  std::string signature =
      Sign(request, input, amz_date, signed_headers, input.payload_sha256, false);
  request.headers.emplace_back(
      "authorization", std::string(internal::kAlgorithm) + " Credential=" + input.access_key + "/" +
                           Scope(amz_date, input) + ", SignedHeaders=" + signed_headers +
                           ", Signature=" + signature);
}

std::string PresignQuery(const HttpRequest& request, const SignInput& input,
                         int64_t expires_seconds) {
  std::string amz_date = DateOrNow(input);
  std::string signed_headers = SignedHeaderList(request);
  HttpRequest presigned = request;
  if (!presigned.raw_query.empty()) presigned.raw_query.push_back('&');
  presigned.raw_query +=
      "X-Amz-Algorithm=" + std::string(internal::kAlgorithm) +
      "&X-Amz-Credential=" + UrlEncode(input.access_key + "/" + Scope(amz_date, input)) +
      "&X-Amz-Date=" + amz_date + "&X-Amz-Expires=" + std::to_string(expires_seconds) +
      "&X-Amz-SignedHeaders=" + UrlEncode(signed_headers);
  // Mirrors the verifier: unsigned unless the request carries x-amz-content-sha256.
  const std::string* content_sha = request.Header("x-amz-content-sha256");
  std::string payload_hash = content_sha ? *content_sha : std::string(internal::kUnsignedPayload);
  std::string signature = Sign(presigned, input, amz_date, signed_headers, payload_hash, true);
  return presigned.raw_query + "&X-Amz-Signature=" + signature;
}

}  // namespace kumo::auth
