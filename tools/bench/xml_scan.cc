#include "bench/xml_scan.h"

#include <array>
#include <utility>

namespace kumo::bench {

std::optional<std::string> FirstTagText(std::string_view xml, std::string_view tag) {
  std::string open = std::string("<").append(tag).append(">");
  std::string close = std::string("</").append(tag).append(">");
  size_t begin = xml.find(open);
  if (begin == std::string_view::npos) return std::nullopt;
  begin += open.size();
  size_t end = xml.find(close, begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view raw = xml.substr(begin, end - begin);

  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {{
      {"&amp;", '&'},
      {"&lt;", '<'},
      {"&gt;", '>'},
      {"&quot;", '"'},
      {"&apos;", '\''},
  }};
  std::string text;
  text.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    bool decoded = false;
    if (raw[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (raw.substr(i, entity.size()) == entity) {
          text.push_back(c);
          i += entity.size();
          decoded = true;
          break;
        }
      }
    }
    if (!decoded) text.push_back(raw[i++]);
  }
  return text;
}

}  // namespace kumo::bench
