#include "policy/actions.h"

#include "policy/glob.h"

namespace kumo::policy {

std::optional<size_t> ActionIndex(std::string_view action) {
  for (size_t i = 0; i < kActionCount; ++i) {
    if (EqualsIgnoreCase(kActionNames[i], action)) return i;
  }
  return std::nullopt;
}

ActionSet ActionBit(std::string_view action) {
  std::optional<size_t> i = ActionIndex(action);
  return ActionSet{1} << (i ? *i : kOtherActionBit);
}

std::optional<ActionSet> CompileActionPattern(std::string_view pattern) {
  if (pattern == "*") return ~ActionSet{0};
  // A service prefix is required: "GetObject" or "s3" alone is not an action.
  size_t colon = pattern.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == pattern.size()) {
    return std::nullopt;
  }
  ActionSet set = 0;
  for (size_t i = 0; i < kActionCount; ++i) {
    if (GlobMatch(pattern, kActionNames[i], /*ignore_case=*/true)) set |= ActionSet{1} << i;
  }
  if (set == 0) return std::nullopt;
  return set;
}

}  // namespace kumo::policy
