// kumo: the admin CLI. Talks to a running kumod over HTTP with SigV4-signed requests
// made with the root credentials; each command lives in its own cli/*_commands.cc.
// Exit codes: 0 success, 1 the operation failed (reason on stderr), 2 bad usage.
#include <CLI/CLI.hpp>
#include <functional>

#include "cli/catalog_commands.h"
#include "cli/deadletter_commands.h"
#include "cli/event_commands.h"
#include "cli/handler_commands.h"
#include "cli/options.h"
#include "cli/search_commands.h"
#include "cli/user_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kumo: administer a running kumod"};
  app.require_subcommand(1);
  kumo::cli::GlobalOptions options;
  kumo::cli::AddGlobalOptions(app, &options);
  std::function<int()> action;
  kumo::cli::AddUserCommands(app, options, &action);
  kumo::cli::AddEventCommands(app, options, &action);
  kumo::cli::AddHandlerCommands(app, options, &action);
  kumo::cli::AddDeadLetterCommands(app, options, &action);
  kumo::cli::AddCatalogCommands(app, options, &action);
  kumo::cli::AddSearchCommands(app, options, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, or the usage error
    return code == 0 ? 0 : 2;
  }
  return action ? action() : 2;
}
