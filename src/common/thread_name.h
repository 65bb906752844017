// Names the calling thread (top, perf, gdb and /proc/<pid>/task/*/comm show it), so a
// profile or a stuck process says which of kumod's threads is which.
#pragma once

#include <string_view>

namespace kumo {

// Linux keeps 15 characters; longer names are cut.
void SetThreadName(std::string_view name);

}  // namespace kumo
