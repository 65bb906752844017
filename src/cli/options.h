// The kumo CLI's global options (--endpoint, --access-key, --secret-key, --region,
// --timeout) and
// their environment defaults. Plain value; not synchronized.
#pragma once

#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace kumo::cli {

struct GlobalOptions {
  std::string endpoint;
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  int timeout_seconds = 60;  // per request: connect, send and the whole reply
};

// Fills *options from the environment and registers the options on app, which then
// override it. options must outlive app's parsing. Defaults:
//   endpoint    KUMO_ENDPOINT, else http://127.0.0.1:9000
//   access key  KUMO_ROOT_ACCESS_KEY, else AWS_ACCESS_KEY_ID
//   secret key  KUMO_ROOT_SECRET_KEY, else AWS_SECRET_ACCESS_KEY
//   timeout     KUMO_CLI_TIMEOUT (seconds), else 60
void AddGlobalOptions(CLI::App& app, GlobalOptions* options);

}  // namespace kumo::cli
