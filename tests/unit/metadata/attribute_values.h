// Typed reads of an extractor's Attributes for the metadata tests: the value of a name,
// or a marker ("<unset>", -1, NaN, false) when it is missing or of another type.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include "attributes.h"

namespace kumo::metadata::testing {

inline std::string Str(const Attributes& a, const char* name) {
  auto v = a.Get(name);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<unset>";
}
inline int64_t Int(const Attributes& a, const char* name) {
  auto v = a.Get(name);
  return v && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -1;
}
inline double Num(const Attributes& a, const char* name) {
  auto v = a.Get(name);
  return v && std::holds_alternative<double>(*v) ? std::get<double>(*v) : NAN;
}
inline bool Bool(const Attributes& a, const char* name) {
  auto v = a.Get(name);
  return v && std::holds_alternative<bool>(*v) && std::get<bool>(*v);
}

}  // namespace kumo::metadata::testing
