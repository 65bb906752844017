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
  // The newest version first, then each older one the plugin may have been built to
  // accept alone (a version 1 plugin.hpp refuses any other host version).
  int rc = 0;
  uint32_t offered = KUMO_PLUGIN_API_VERSION;
  for (;; --offered) {
    lib->table_ = kumo_plugin{};
    lib->table_.struct_size = sizeof(kumo_plugin);
    rc = init(offered, &lib->table_);
    if (rc == 0 || lib->table_.api_version > KUMO_PLUGIN_API_VERSION || offered == 1) break;
  }
  const uint32_t needs = lib->table_.api_version;
  if (needs > KUMO_PLUGIN_API_VERSION) {
    return fail("needs plugin API version " + std::to_string(needs) +
                ", but this kumod speaks version " + std::to_string(KUMO_PLUGIN_API_VERSION) +
                " (it loads plugins that need version 1 to " +
                std::to_string(KUMO_PLUGIN_API_VERSION) +
                "): upgrade kumod, or use a build of the plugin for this version");
  }
  if (rc != 0) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " failed (returned " + std::to_string(rc) +
                ") for every plugin API version this kumod speaks (1 to " +
                std::to_string(KUMO_PLUGIN_API_VERSION) +
                "): the plugin does not support them or could not initialise");
  }
  if (needs == 0) return fail(KUMO_PLUGIN_ENTRY_POINT " did not set api_version");
  if (needs > offered) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " accepted plugin API version " + std::to_string(offered) +
                " but states it needs version " + std::to_string(needs));
  }
  if (lib->table_.create == nullptr || lib->table_.handle == nullptr ||
      lib->table_.destroy == nullptr) {
    return fail(KUMO_PLUGIN_ENTRY_POINT " left create, destroy or handle unset");
  }
  return lib;
}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

}  // namespace kumo::events
