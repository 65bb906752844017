// The configuration file's function and binding sections (config.h's loader uses them).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "events/built_in_functions.h"
#include "events/function_config.h"
#include "events/notification_config.h"

namespace kumo::server {

// The directory relative plugin paths are resolved against.
std::string ConfigDirectory(const std::string& config_path);

// [functions.<name>]: plugin (a path, relative ones against config_dir), concurrency,
// and an optional config table handed to the plugin as JSON.
// Errors: kInvalidArgument naming the bad key.
Status ReadFunctions(const toml::table& t, const std::string& config_dir,
                     std::vector<events::FunctionConfig>* out);

// [[bindings]]: bucket ("*" for all), function (a name) or arn, events, optional id,
// prefix, suffix. The ARN is checked against the handlers at start-up, not here.
// Errors: kInvalidArgument naming the bad binding.
Status ReadBindings(const toml::table& t, std::vector<events::StaticBinding>* out);

}  // namespace kumo::server
