#include "events/plugin_library.h"

#include <dlfcn.h>

namespace kumo::events {

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::Load(const std::string& path) {
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument(std::string("plugin ").append(path).append(": ").append(why));
  };
  // RTLD_NOW: a missing symbol fails here, at start-up, not in the middle of an event.
  // RTLD_LOCAL: two plugins may link different versions of the same library.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return fail(why != nullptr ? why : "cannot be loaded");
  }
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary(path, handle));
  dlerror();
  void* symbol = dlsym(handle, KUMO_PLUGIN_ENTRY_POINT);
  if (symbol == nullptr) {
    return fail("no entry point " KUMO_PLUGIN_ENTRY_POINT
                " (export it with KUMO_PLUGIN(...) from kumo/plugin.hpp, or define it "
                "extern \"C\" with KUMO_PLUGIN_EXPORT)");
  }
  auto init = reinterpret_cast<kumo_plugin_init_fn>(symbol);
  lib->table_.struct_size = sizeof(kumo_plugin);
  int rc = init(KUMO_PLUGIN_API_VERSION, &lib->table_);
  if (lib->table_.api_version != KUMO_PLUGIN_API_VERSION && lib->table_.api_version != 0) {
    return fail("built for plugin API version " + std::to_string(lib->table_.api_version) +
                ", but this kumod speaks version " + std::to_string(KUMO_PLUGIN_API_VERSION) +
                "; rebuild it against this kumod's kumo/plugin.h");
  }
  if (rc != 0) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " failed (returned " + std::to_string(rc) +
                "): the plugin does not support plugin API version " +
                std::to_string(KUMO_PLUGIN_API_VERSION) + " or could not initialise");
  }
  if (lib->table_.api_version != KUMO_PLUGIN_API_VERSION) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " did not set api_version");
  }
  if (lib->table_.create == nullptr || lib->table_.handle == nullptr ||
      lib->table_.destroy == nullptr) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " left create, destroy or handle unset");
  }
  return lib;
}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

}  // namespace kumo::events
