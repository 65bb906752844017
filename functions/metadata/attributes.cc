#include "attributes.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "text.h"

namespace kumo::metadata {

void Attributes::Set(std::string_view name, double v) {
  if (std::isfinite(v)) values_[std::string(name)] = v;
}

void Attributes::SetNonEmpty(std::string_view name, std::string v) {
  if (!v.empty()) Set(name, std::move(v));
}

void Attributes::SetDefault(std::string_view name, std::string v) {
  if (!Has(name) && !v.empty()) Set(name, std::move(v));
}

void Attributes::AddError(std::string_view extractor, std::string_view message) {
  std::string entry = std::string(extractor) + ": " + std::string(message);
  auto it = values_.find(std::string_view("error"));
  if (it == values_.end()) {
    values_["error"] = std::move(entry);
  } else if (auto* s = std::get_if<std::string>(&it->second)) {
    *s += "; " + entry;
  }
}

std::optional<Value> Attributes::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Attributes::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : values_) {
    nlohmann::json* node = &out;
    std::string_view rest = name;
    for (size_t dot; (dot = rest.find('.')) != std::string_view::npos;) {
      nlohmann::json& child = (*node)[std::string(rest.substr(0, dot))];
      if (!child.is_object()) child = nlohmann::json::object();
      node = &child;
      rest.remove_prefix(dot + 1);
    }
    if (const auto* str = std::get_if<std::string>(&value); str && str->size() > kMaxString) {
      (*node)[std::string(rest)] = TruncateUtf8(*str, kMaxString);
    } else {
      std::visit([&](const auto& v) { (*node)[std::string(rest)] = v; }, value);
    }
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kumo::metadata
