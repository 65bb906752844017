// Attributes: what the extractors found about one object version, as the flat
// name -> number | string | bool map that Call::CatalogPut takes (names with '.' are
// nested on output: "exif.model" becomes {"exif":{"model":...}}), plus the `error`
// attribute, which names every extractor that failed and its decoder's message.
// Not thread-safe: one per object being handled.
#ifndef KUMO_FUNCTIONS_METADATA_ATTRIBUTES_H
#define KUMO_FUNCTIONS_METADATA_ATTRIBUTES_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace kumo::metadata {

using Value = std::variant<bool, int64_t, double, std::string>;

class Attributes {
 public:
  void Set(std::string_view name, bool v) { values_[std::string(name)] = v; }
  void Set(std::string_view name, int64_t v) { values_[std::string(name)] = v; }
  // A non-finite number is not stored (JSON has none).
  void Set(std::string_view name, double v);
  void Set(std::string_view name, std::string v) { values_[std::string(name)] = std::move(v); }
  void Set(std::string_view name, const char* v) { Set(name, std::string(v)); }
  // Only when v is not empty.
  void SetNonEmpty(std::string_view name, std::string v);
  // Sets the name only if no extractor set it before (e.g. `format` from the mime type).
  void SetDefault(std::string_view name, std::string v);

  // Appends "<extractor>: <message>" to the `error` attribute ("; " between failures).
  void AddError(std::string_view extractor, std::string_view message);

  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }
  // The value of name, or nullopt.
  std::optional<Value> Get(std::string_view name) const;
  const std::map<std::string, Value, std::less<>>& values() const { return values_; }

  // The JSON object: names split at '.' into nested objects; strings that are not valid
  // UTF-8 have the bad bytes replaced by U+FFFD, strings past kMaxString bytes are cut
  // (at a character boundary), so the JSON stays well within CatalogPut's 64 KiB.
  std::string ToJson() const;

  static constexpr size_t kMaxString = 2048;

 private:
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_ATTRIBUTES_H
