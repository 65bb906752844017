// `kumo handlers ls|replay`: the event dispatcher's handlers through the admin API
// (src/admin/handlers_api.h). Not thread-safe (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `handlers` subcommand tree; sets *action like AddUserCommands does.
void AddHandlerCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action);

}  // namespace kumo::cli
