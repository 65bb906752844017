#include "config.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kumo::metadata {
namespace {

[[noreturn]] void Fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("metadata: config key \"" + key + "\": " + why);
}

uint64_t Unsigned(const nlohmann::json& v, const std::string& key, uint64_t min, uint64_t max) {
  if (!v.is_number_integer()) Fail(key, "must be an integer");
  bool negative = !v.is_number_unsigned() && v.get<int64_t>() < 0;
  uint64_t u = negative ? 0 : v.get<uint64_t>();
  if (negative || u < min || u > max) {
    Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return u;
}

std::vector<std::string> Strings(const nlohmann::json& v, const std::string& key) {
  if (!v.is_array()) Fail(key, "must be a list of strings");
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) Fail(key, "must be a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

bool Config::Matches(std::string_view key) const {
  if (prefixes.empty()) return true;
  for (const auto& p : prefixes) {
    if (key.substr(0, p.size()) == p) return true;
  }
  return false;
}

Config ParseConfig(std::string_view json) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json.empty() ? std::string_view("{}") : json);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("metadata: config is not JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("metadata: config must be a table");
  Config c;
  constexpr uint64_t kMax = uint64_t{1} << 50;
  for (const auto& [key, v] : j.items()) {
    if (key == "extractors") {
      c.mime = c.sha256 = c.image = c.exif = c.media = c.pdf = c.text = false;
      for (const auto& name : Strings(v, key)) {
        bool* flag = name == "mime"     ? &c.mime
                     : name == "sha256" ? &c.sha256
                     : name == "image"  ? &c.image
                     : name == "exif"   ? &c.exif
                     : name == "media"  ? &c.media
                     : name == "pdf"    ? &c.pdf
                     : name == "text"   ? &c.text
                                        : nullptr;
        if (flag == nullptr) {
          Fail(key, "unknown extractor \"" + name +
                        "\" (known: mime, sha256, image, exif, media, pdf, text)");
        }
        *flag = true;
      }
    } else if (key == "prefixes") {
      c.prefixes = Strings(v, key);
    } else if (key == "head_bytes") {
      c.head_bytes = Unsigned(v, key, 4096, uint64_t{1} << 30);
    } else if (key == "sha256_max_bytes") {
      c.sha256_max_bytes = Unsigned(v, key, 0, kMax);
    } else if (key == "pdf_max_bytes") {
      c.pdf_max_bytes = Unsigned(v, key, 0, (uint64_t{1} << 31) - 1);
    } else if (key == "pdf_text_pages") {
      c.pdf_text_pages = static_cast<uint32_t>(Unsigned(v, key, 0, 10000));
    } else if (key == "text_limit_kib") {
      c.text_limit_kib =
          static_cast<uint32_t>(Unsigned(v, key, 0, 1024));  // CatalogPut cuts at 1 MiB
    } else {
      Fail(key,
           "unknown key (known: extractors, prefixes, head_bytes, sha256_max_bytes, "
           "pdf_max_bytes, pdf_text_pages, text_limit_kib)");
    }
  }
  return c;
}

}  // namespace kumo::metadata
