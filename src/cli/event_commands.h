// `kumo events ls|trace`: read the event outbox through the admin API
// (src/admin/events_api.h). Not thread-safe (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `events` subcommand tree; sets *action like AddUserCommands does.
void AddEventCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action);

}  // namespace kumo::cli
