#include "common/status.h"

namespace kumo {

std::string Status::ToString() const {
  if (ok()) return "OK";
  return "error " + std::to_string(static_cast<int>(code_)) + ": " + message_;
}

}  // namespace kumo
