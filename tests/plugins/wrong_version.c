/* A plugin built for an API version kumod does not speak: kumod must refuse it at
 * start-up with a message naming it (tests/integration/test_plugins.py). */
#include <kumo/plugin.h>

KUMO_PLUGIN_EXPORT int kumo_plugin_init(uint32_t host_api_version, kumo_plugin* plugin) {
  (void)host_api_version;
  plugin->api_version = KUMO_PLUGIN_API_VERSION + 98;
  plugin->name = "wrong-version";
  plugin->version = "0";
  return 0;
}
