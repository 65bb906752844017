#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace kumo::cli {
namespace {

// The value of the first set, non-empty variable, else fallback.
std::string FromEnv(std::initializer_list<const char*> names, std::string fallback = {}) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return fallback;
}

}  // namespace

void AddGlobalOptions(CLI::App& app, GlobalOptions* options) {
  options->endpoint = FromEnv({"KUMO_ENDPOINT"}, "http://127.0.0.1:9000");
  options->access_key = FromEnv({"KUMO_ROOT_ACCESS_KEY", "AWS_ACCESS_KEY_ID"});
  options->secret_key = FromEnv({"KUMO_ROOT_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"});
  options->timeout_seconds = std::atoi(FromEnv({"KUMO_CLI_TIMEOUT"}, "60").c_str());

  // Defaults are not captured into --help: the secret must never be printed.
  app.add_option("--endpoint", options->endpoint,
                 "kumod URL, http://HOST[:PORT] (env KUMO_ENDPOINT, default "
                 "http://127.0.0.1:9000)");
  app.add_option("--access-key", options->access_key,
                 "root access key (env KUMO_ROOT_ACCESS_KEY or AWS_ACCESS_KEY_ID)");
  app.add_option("--secret-key", options->secret_key,
                 "root secret key (env KUMO_ROOT_SECRET_KEY or AWS_SECRET_ACCESS_KEY)");
  app.add_option("--region", options->region, "SigV4 signing region (default us-east-1)");
  app.add_option("--timeout", options->timeout_seconds,
                 "seconds to wait for kumod's reply (env KUMO_CLI_TIMEOUT, default 60)")
      ->check(CLI::Range(1, 3600));
}

}  // namespace kumo::cli
