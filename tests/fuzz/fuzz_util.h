// Helpers shared by the fuzz targets of tests/fuzz/: carving typed fields out of the
// fuzzer's input, and the invariant check that turns a logic error into a crash the
// fuzzer reports. Header-only; each target is single-threaded.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/http_request.h"

namespace kumo::fuzz {

// Aborts (a crash for libFuzzer, which then saves the input) when an invariant fails.
#define KUMO_FUZZ_CHECK(cond)                                                           \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

// A string of up to max_len bytes, each mapped into alphabet (so the fuzzer's byte
// mutations still reach every character of it).
inline std::string ConsumeFrom(FuzzedDataProvider& in, std::string_view alphabet, size_t max_len) {
  std::string raw = in.ConsumeRandomLengthString(max_len);
  for (char& c : raw) c = alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  return raw;
}

inline constexpr std::string_view kLowerToken =
    "abcdefghijklmnopqrstuvwxyz0123456789-_.!#$%&'*+^`|~";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// A header value as the HTTP layer hands it over: no CR, LF or NUL, no blanks at either
// end (HttpRequest::headers are trimmed).
inline std::string ConsumeHeaderValue(FuzzedDataProvider& in, size_t max_len) {
  std::string v = in.ConsumeRandomLengthString(max_len);
  std::erase_if(v, [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  return v;
}

// A lower-case header name, biased toward the ones SigV4 treats specially.
inline std::string ConsumeHeaderName(FuzzedDataProvider& in) {
  static constexpr const char* kNames[] = {
      "host", "x-amz-date",   "x-amz-content-sha256", "x-amz-meta-a",  "x-amz-copy-source",
      "date", "content-type", "content-md5",          "authorization", "x-amz-security-token"};
  if (in.ConsumeBool()) return kNames[in.ConsumeIntegralInRange<size_t>(0, std::size(kNames) - 1)];
  std::string name = ConsumeFrom(in, kLowerToken, 24);
  return name.empty() ? "x" : name;
}

}  // namespace kumo::fuzz
