/* A plugin that needs a newer host than this kumod (the next API version): kumod must
 * refuse it at start-up with a message naming it and both versions
 * (tests/integration/test_plugins.py). */
#include <kumo/plugin.h>

KUMO_PLUGIN_EXPORT int kumo_plugin_init(uint32_t host_api_version, kumo_plugin* plugin) {
  (void)host_api_version;
  plugin->api_version = KUMO_PLUGIN_API_VERSION + 1;
  plugin->name = "wrong-version";
  plugin->version = "0";
  return 0;
}
