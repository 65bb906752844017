// `kumo deadletter ls|retry|drop`: the dispatcher's dead letters through the admin API
// (src/admin/handlers_api.h). Not thread-safe (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `deadletter` subcommand tree; sets *action like AddUserCommands does.
void AddDeadLetterCommands(CLI::App& app, const GlobalOptions& options,
                           std::function<int()>* action);

}  // namespace kumo::cli
