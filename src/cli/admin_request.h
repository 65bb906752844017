// One call to kumod's admin API (/_kumo/admin/...) on behalf of a CLI command: signs it
// with the global options' credentials, sends it, and turns every failure into a message
// on stderr so that commands only handle success. Not thread-safe (writes to std::cerr).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "cli/options.h"

namespace kumo::cli {

// Sends `method path` (path percent-encoded) and returns the JSON body of a 2xx reply
// (null for an empty body). On failure, prints "kumo: ..." to stderr and returns
// std::nullopt: missing credentials, a bad endpoint, a transport error, a non-2xx reply
// (its "error" and "message" fields, or the raw body when it is not JSON), or a 2xx
// reply whose body is not JSON.
std::optional<nlohmann::json> AdminRequest(const GlobalOptions& options, std::string_view method,
                                           std::string_view path, std::string_view body = {});

}  // namespace kumo::cli
