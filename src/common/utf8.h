// UTF-8 validity for strings that leave kumod as JSON or XML: reasons from plugins and
// webhook receivers, keys written by functions, rule ids from request bodies. A string
// cut at a byte limit or taken from a remote peer may end inside a character or hold
// bytes that are no UTF-8 at all; JSON serialisers refuse (nlohmann throws) or emit
// invalid documents. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kumo {

// True when s is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Length (1-4) of the well-formed character s starts with, or 0 when s is empty or
// starts ill-formed; then *invalid is the length of that maximal invalid subpart.
size_t Utf8Char(std::string_view s, size_t* invalid);

// Length of the longest prefix of s that is well-formed UTF-8 (s.size() when valid).
size_t ValidUtf8Prefix(std::string_view s);

// s with every ill-formed sequence replaced by U+FFFD, one per maximal invalid
// subpart (the Unicode "best practice" that browsers and ICU follow).
std::string MakeValidUtf8(std::string_view s);

// The longest prefix of s of at most max_bytes that does not end inside a character.
// s must be valid UTF-8 for the result to be; bytes before the cut are not checked.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace kumo
