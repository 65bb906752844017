// `kumo user add|list|remove`: manage the access keys kumod accepts, through the admin
// API (src/admin/admin_api.h). Not thread-safe (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `user` subcommand tree on app. When one of its commands is parsed, sets
// *action to a function that runs it and returns the process exit code (0 on success,
// 1 on any failure, explained on stderr). options and action must outlive app.
void AddUserCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action);

}  // namespace kumo::cli
