// The built-in functions kumod ships (functions/<name>/, each a plugin like any other):
// available under their names with no configuration, bound by
// arn:kumo:lambda:::function:<name>; a [functions.<name>] table only tunes them
// (concurrency, run_as, config) and needs no plugin path. Constant data: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kumo::events {

// The names, in the order kumod loads them.
const std::vector<std::string_view>& BuiltInFunctions();
bool IsBuiltInFunction(std::string_view name);
// "metadata, ..." for messages.
std::string BuiltInFunctionList();

}  // namespace kumo::events
