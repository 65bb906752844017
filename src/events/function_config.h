// How a function handler is declared: a [functions.<name>] table of kumod's
// configuration (function_handler.h). Plain values.
#pragma once

#include <string>

namespace kumo::events {

struct FunctionConfig {
  std::string name;                // [A-Za-z0-9_-]+; the ARN is arn:kumo:lambda:::function:<name>
  std::string plugin;              // path of the shared library
  std::string config_json = "{}";  // the function's own configuration, a JSON object
  int concurrency = 1;             // deliveries at once (1..64)
  // A call of handle() running longer fails as retryable ("timed out"); 0: no limit. The
  // call cannot be stopped: it goes on in its own thread, abandoned (function_handler.h).
  int timeout_seconds = 0;
  // The access key whose rights every host call has (function_access.h): root's or a
  // user's, resolved at call time; empty: the built-in principal (the event's object and
  // bucket only).
  std::string run_as;
  // Built-in functions serving notification targets (webhook_config.h) override these:
  std::string handler_name;  // default "function:<name>"
  std::string arn;           // default "arn:kumo:lambda:::function:<name>"
  std::string label;         // for errors; default "function '<name>'"
  bool test_events = false;  // receive s3:TestEvent (S3 sends it to queues, not functions)
};

}  // namespace kumo::events
