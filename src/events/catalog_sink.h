// Where the plugin host's catalog calls (catalog_put, catalog_remove in
// include/kumo/plugin.h) go: the object catalog (src/catalog) implements it, so events/
// knows nothing of SQLite.
//
// [Threading] Implementations are thread-safe: function lanes call them concurrently.
// [Exceptions] They must not throw; failures are Status values.
#pragma once

#include <string_view>

#include "common/status.h"

namespace kumo::events {

class CatalogSink {
 public:
  virtual ~CatalogSink() = default;

  // Replaces what namespace ns holds for the object version (bucket, key, etag): the
  // attributes (a JSON object text) and the full-text text. Returns true when stored,
  // false when that version is no longer the object's (overwritten or removed since):
  // nothing was stored. Errors: kInvalidArgument (bad JSON, reserved namespace, past a
  // limit), kIOError.
  virtual Result<bool> PutAttributes(std::string_view bucket, std::string_view key,
                                     std::string_view etag, std::string_view ns,
                                     std::string_view attributes_json, std::string_view text) = 0;
  // Removes what namespace ns holds for the object (nothing to remove is OK).
  virtual Status RemoveAttributes(std::string_view bucket, std::string_view key,
                                  std::string_view ns) = 0;
};

}  // namespace kumo::events
