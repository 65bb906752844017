// Just enough XML reading for kumo-bench: the text of the first <Tag>...</Tag> of an S3
// reply, with the five predefined entities decoded. Not a parser; pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kumo::bench {

// The decoded text of the first element named tag, or std::nullopt when there is none.
std::optional<std::string> FirstTagText(std::string_view xml, std::string_view tag);

}  // namespace kumo::bench
