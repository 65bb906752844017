/* A shared library without kumo_plugin_init: kumod must refuse it at start-up. */
#include <kumo/plugin.h>

KUMO_PLUGIN_EXPORT int kumo_plugin_start(void) { return 0; }
