// `kumo catalog status|rebuild`: the object catalog through the admin API
// (src/admin/catalog_api.h). Not thread-safe (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `catalog` subcommand tree; sets *action like AddUserCommands does.
void AddCatalogCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action);

}  // namespace kumo::cli
