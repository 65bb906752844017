#include "common/utf8.h"

namespace kumo {

namespace {

// Length of the well-formed sequence at s[i], or 0 when the bytes there are ill-formed.
// Sets *consumed to the maximal invalid subpart's length on failure (at least 1).
size_t SequenceAt(std::string_view s, size_t i, size_t* consumed) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  *consumed = 1;
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned char cont = b(i + k);
    if (k == 1 ? (cont < lo || cont > hi) : (cont < 0x80 || cont > 0xBF)) return 0;
    *consumed = k + 1;
  }
  return len;
}

}  // namespace

size_t Utf8Char(std::string_view s, size_t* invalid) {
  *invalid = 0;
  if (s.empty()) return 0;
  size_t len = SequenceAt(s, 0, invalid);
  if (len != 0) *invalid = 0;
  return len;
}

size_t ValidUtf8Prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t consumed;
    size_t len = SequenceAt(s, i, &consumed);
    if (len == 0) return i;
    i += len;
  }
  return i;
}

bool IsValidUtf8(std::string_view s) { return ValidUtf8Prefix(s) == s.size(); }

std::string MakeValidUtf8(std::string_view s) {
  size_t valid = ValidUtf8Prefix(s);
  if (valid == s.size()) return std::string(s);
  std::string out(s.substr(0, valid));
  out.reserve(s.size() + 8);
  for (size_t i = valid; i < s.size();) {
    size_t consumed;
    size_t len = SequenceAt(s, i, &consumed);
    if (len == 0) {
      out.append("\xEF\xBF\xBD");
      i += consumed;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  // Step back over continuation bytes to the start of the character the cut splits.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace kumo
