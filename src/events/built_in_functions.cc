#include "events/built_in_functions.h"

#include <algorithm>

namespace kumo::events {

const std::vector<std::string_view>& BuiltInFunctions() {
  static const std::vector<std::string_view> kNames = {"metadata"};
  return kNames;
}

bool IsBuiltInFunction(std::string_view name) {
  const auto& names = BuiltInFunctions();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string BuiltInFunctionList() {
  std::string out;
  for (std::string_view name : BuiltInFunctions()) {
    if (!out.empty()) out.append(", ");
    out.append(name);
  }
  return out;
}

}  // namespace kumo::events
