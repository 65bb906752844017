# kumo_add_plugin(<name> <sources>...): builds a Kumo plugin, a shared library loaded by
# kumod with dlopen (include/kumo/plugin.h). The file is <name>.so; only the entry point
# kumo_plugin_init is exported (hidden visibility by default), and an undefined symbol
# fails the link rather than the load: a plugin uses kumod only through the host API
# table it is handed, never by symbol.
function(kumo_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE kumo::plugin)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
