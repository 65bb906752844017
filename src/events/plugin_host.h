// The host side of the plugin ABI (include/kumo/plugin.h): the kumo_host_api table and
// the objects behind its opaque handles. A kumo_host is one function instance; a
// kumo_call is one FunctionHandler::Deliver. Writes and tag changes made through a call
// carry its event's sequence as their parent and its depth + 1, so chains are traced
// and stop at the dispatcher's depth limit. Every call that touches a bucket or an object
// is first authorized as the function's principal (function_access.h); a refused one
// returns KUMO_ERR_ACCESS_DENIED with the reason in last_error. No exception leaves a
// host function: a failed allocation is KUMO_ERR_NO_MEMORY, anything else thrown
// KUMO_ERR_INTERNAL (functions returning nothing swallow it).
//
// [Threading] The table's functions are thread-safe; each call, reader and writer is
// used by one thread at a time (the plugin ABI's rule).
#pragma once

#include <kumo/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/catalog_sink.h"
#include "events/function_access.h"
#include "storage/event_record.h"
#include "storage/store.h"

struct kumo_host {
  std::string function;  // the function's name, for logs
  kumo::storage::Store* store = nullptr;
  kumo::events::FunctionPrincipal principal;     // who its calls act as
  kumo::events::CatalogSink* catalog = nullptr;  // null: the catalog is disabled
};

struct kumo_call {
  kumo_host* host = nullptr;
  uint64_t event_seq = 0;
  uint32_t event_depth = 0;
  std::string event_bucket, event_key;  // the log context of log_call
  // The decisions of this call, for its event; unset: every call is denied.
  std::optional<kumo::events::CallAccess> access;
  std::string last_error;  // of the last failed host call
  std::string error;       // set_error: the reason of a failed result
  // What stat_object, get_tags and list_objects hand out: valid until the next such call.
  kumo::storage::ObjectMeta stat_meta;
  std::vector<kumo_pair> stat_metadata, stat_tags;
  std::string stat_checksum_algorithm;
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<kumo_pair> tag_views;
  kumo::storage::ListResult listing;
  std::vector<kumo_list_entry> list_views;
};

namespace kumo::events {

// The host API table handed to every plugin (static, never freed).
const kumo_host_api* PluginHostApi();

// Sets up call for one handle() of host's function on record.
void InitCall(kumo_host* host, const storage::EventRecord& record, kumo_call* call);

}  // namespace kumo::events
