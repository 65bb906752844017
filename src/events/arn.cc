#include "events/arn.h"

#include <array>

namespace kumo::events {

std::string CanonicalArn(std::string_view arn) {
  // Five colons separate arn, partition, service, region, account and the resource
  // (which may itself contain colons: "function:<name>").
  std::array<std::string_view, 6> f;
  std::string_view rest = arn;
  for (size_t i = 0; i < 5; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::string(arn);
    f[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  f[5] = rest;
  if (f[0] != "arn") return std::string(arn);
  std::string out = "arn:";
  out.append(f[1]).append(":").append(f[2]).append("::");
  if (f[2] != "lambda") out.append(f[4]);
  out.append(":").append(f[5]);
  return out;
}

bool IsFunctionArn(std::string_view arn) {
  std::string canonical = CanonicalArn(arn);
  std::string_view c = canonical;
  if (c.substr(0, 4) != "arn:") return false;
  c.remove_prefix(4);
  size_t colon = c.find(':');
  return colon != std::string_view::npos && c.substr(colon + 1, 7) == "lambda:";
}

bool SameArn(std::string_view a, std::string_view b) {
  return a == b || CanonicalArn(a) == CanonicalArn(b);
}

}  // namespace kumo::events
