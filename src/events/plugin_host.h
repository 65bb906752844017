// The host side of the plugin ABI (include/kumo/plugin.h): the kumo_host_api table and
// the objects behind its opaque handles. A kumo_host is one function instance; a
// kumo_call is one FunctionHandler::Deliver. Writes and tag changes made through a call
// carry its event's sequence as their parent and its depth + 1, so chains are traced
// and stop at the dispatcher's depth limit. Every call that touches a bucket or an object
// is first authorized as the function's principal (function_access.h); a refused one
// returns KUMO_ERR_ACCESS_DENIED with the reason in last_error.
//
// [Threading] The table's functions are thread-safe; each call, reader and writer is
// used by one thread at a time (the plugin ABI's rule).
#pragma once

#include <kumo/plugin.h>

#include <cstdint>
#include <optional>
#include <string>

#include "events/function_access.h"
#include "storage/store.h"

struct kumo_host {
  std::string function;  // the function's name, for logs
  kumo::storage::Store* store = nullptr;
  kumo::events::FunctionPrincipal principal;  // who its calls act as
};

struct kumo_call {
  kumo_host* host = nullptr;
  uint64_t event_seq = 0;
  uint32_t event_depth = 0;
  // The decisions of this call, for its event; unset: every call is denied.
  std::optional<kumo::events::CallAccess> access;
  std::string last_error;  // of the last failed host call
  std::string error;       // set_error: the reason of a failed result
};

namespace kumo::events {

// The host API table handed to every plugin (static, never freed).
const kumo_host_api* PluginHostApi();

}  // namespace kumo::events
