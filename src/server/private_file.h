// Small files only kumod's user may read (root-credentials, master-key), written so that
// a crash or power loss leaves either the old file or the new one, never neither: a new
// file in the same directory created 0600 (never readable by others, not even for a
// moment), fsynced, renamed over the old one, and the directory fsynced.
// Thread safety: pure functions; concurrent writers of one path are not supported.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kumo::server {

// Errors: kIOError, naming the path and the failed call.
Status WritePrivateFile(const std::string& path, std::string_view contents);

// The file's contents, or nullopt when it does not exist. A file others may read is made
// 0600 first (with a warning). Errors: kIOError.
Result<std::optional<std::string>> ReadPrivateFile(const std::string& path);

}  // namespace kumo::server
