// `kumo search` and `kumo sql`: the object catalog's queries (src/admin/search_api.h).
// Any user's credentials work; each sees only the buckets it may list. Not thread-safe
// (registers into one CLI::App).
#pragma once

#include <functional>

#include "cli/options.h"

namespace kumo::cli {

// Registers the `search` and `sql` subcommands; sets *action like AddUserCommands does.
void AddSearchCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action);

}  // namespace kumo::cli
