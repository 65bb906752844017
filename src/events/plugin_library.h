// One plugin shared library loaded with dlopen (include/kumo/plugin.h): its entry point
// called, its API version checked. Every error names the library's path, so a start-up
// failure says which plugin is wrong and why.
//
// [Lifetime] The library stays loaded while a PluginLibrary (shared by the function
// instances made from it) lives. [Threading] Immutable after Load; thread-safe.
#pragma once

#include <kumo/plugin.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace kumo::events {

class PluginLibrary {
 public:
  // Calls kumo_plugin_init with this kumod's API version, then with each older one
  // while the plugin refuses (plugin.h: older plugins keep loading). Errors:
  // kInvalidArgument for a library that cannot be loaded, lacks the entry point
  // kumo_plugin_init, fails it for every version, needs a newer API version than this
  // kumod's (the message names both), or leaves callbacks unset.
  static Result<std::shared_ptr<PluginLibrary>> Load(const std::string& path);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& path() const { return path_; }
  const kumo_plugin& table() const { return table_; }
  // The lowest host API version the plugin needs (kumo_plugin::api_version).
  uint32_t needs_api_version() const { return table_.api_version; }

 private:
  PluginLibrary(std::string path, void* handle) : path_(std::move(path)), handle_(handle) {}

  const std::string path_;
  void* const handle_;
  kumo_plugin table_{};
};

}  // namespace kumo::events
