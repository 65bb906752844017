#include "common/object_tags.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace kumo {

namespace {

Status InvalidTag(std::string message) { return {ErrorCode::kInvalidTag, std::move(message)}; }

// Code points outside Latin-1 that are not letters, numbers or space separators: the
// punctuation, symbol, combining-mark, format, emoji and private-use blocks (an
// approximation of \p{L}\p{Z}\p{N}; see tagging.h).
constexpr std::pair<char32_t, char32_t> kRejectedRanges[] = {
    {0x0300, 0x036F},    // combining diacritical marks
    {0x2010, 0x2027},    // general punctuation (dashes, quotes, bullets)
    {0x2030, 0x205E},    // general punctuation (per mille ... four dots)
    {0x2060, 0x206F},    // invisible format characters
    {0x20A0, 0x20FF},    // currency symbols, combining marks for symbols
    {0x2190, 0x245F},    // arrows, mathematical operators, technical, control pictures
    {0x2500, 0x2775},    // box drawing, shapes, miscellaneous symbols, dingbats
    {0x2794, 0x2BFF},    // dingbat arrows, mathematical symbols, more arrows
    {0x2E00, 0x2E7F},    // supplemental punctuation
    {0x3001, 0x3004},    // CJK punctuation
    {0x3008, 0x3020},    // CJK brackets and marks
    {0xD800, 0xF8FF},    // surrogates, private use
    {0xFE00, 0xFE6F},    // variation selectors, vertical and small forms
    {0xFEFF, 0xFEFF},    // byte order mark
    {0xFF01, 0xFF0F},    // fullwidth punctuation
    {0xFF1A, 0xFF20},    //
    {0xFF3B, 0xFF40},    //
    {0xFF5B, 0xFF65},    //
    {0xFFF0, 0xFFFF},    // specials
    {0x1F000, 0x1FAFF},  // mahjong ... emoji
    {0xE0000, 0xE007F},  // tag characters
    {0xF0000, 0x10FFFF}  // supplementary private use
};

bool AllowedCodePoint(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::u32string_view(U" _.:/=+-@").find(c) != std::u32string_view::npos;
  }
  if (c < 0xA0) return false;  // C1 controls
  if (c < 0xC0) {
    // Latin-1 punctuation and symbols, but for NBSP, ª µ º and the superscripts and
    // fractions (letters and numbers).
    return std::u32string_view(U"\u00A0\u00AA\u00B2\u00B3\u00B5\u00B9\u00BA\u00BC\u00BD\u00BE")
               .find(c) != std::u32string_view::npos;
  }
  // Latin-1 letters, but for the multiplication and division signs.
  if (c <= 0xFF) return c != 0xD7 && c != 0xF7;
  for (const auto& [lo, hi] : kRejectedRanges) {
    if (c >= lo && c <= hi) return false;
  }
  return true;
}

// Decodes one UTF-8 sequence at s[*i] (RFC 3629: no overlong forms, no surrogates).
std::optional<char32_t> NextCodePoint(std::string_view s, size_t* i) {
  auto c = static_cast<unsigned char>(s[*i]);
  size_t extra = c < 0x80                 ? 0
                 : c >= 0xC2 && c <= 0xDF ? 1
                 : c >= 0xE0 && c <= 0xEF ? 2
                 : c >= 0xF0 && c <= 0xF4 ? 3
                                          : 4;
  if (extra == 4 || s.size() - *i <= extra) return std::nullopt;
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  *i += extra + 1;
  return cp;
}

enum class Check { kOk, kTooLong, kInvalid };

// Length in UTF-16 code units (S3 stores tags as UTF-16) and the character set.
Check CheckComponent(std::string_view s, size_t max_units) {
  size_t units = 0;
  bool chars_ok = true;
  for (size_t i = 0; i < s.size();) {
    std::optional<char32_t> c = NextCodePoint(s, &i);
    if (!c) return Check::kInvalid;
    units += *c >= 0x10000 ? 2 : 1;
    chars_ok = chars_ok && AllowedCodePoint(*c);
  }
  if (units > max_units) return Check::kTooLong;
  return chars_ok ? Check::kOk : Check::kInvalid;
}

Status ValidateTagSet(StringPairs* tags, size_t max_tags, std::string_view too_many) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(std::min(tags->size(), max_tags + 1));
  for (size_t i = 0; i < tags->size(); ++i) {
    const auto& [key, value] = (*tags)[i];
    switch (key.empty() ? Check::kInvalid : CheckComponent(key, kMaxTagKeyLength)) {
      case Check::kTooLong:
        return InvalidTag("The TagKey you have provided is too long, max 128");
      case Check::kInvalid:
        return InvalidTag("The TagKey you have provided is invalid");
      case Check::kOk:
        break;
    }
    if (key.rfind("aws:", 0) == 0) return InvalidTag("Your TagKey cannot be prefixed with aws:");
    switch (CheckComponent(value, kMaxTagValueLength)) {
      case Check::kTooLong:
        return InvalidTag("The TagValue you have provided is too long, max 256");
      case Check::kInvalid:
        return InvalidTag("The TagValue you have provided is invalid");
      case Check::kOk:
        break;
    }
    // A set, not a scan of the earlier tags: a 2 MiB body holds ~58k tags.
    if (!seen.insert(key).second) {
      return InvalidTag("Cannot provide multiple Tags with the same key");
    }
  }
  if (tags->size() > max_tags) return {ErrorCode::kBadRequest, std::string(too_many)};
  std::sort(tags->begin(), tags->end());
  return Status::OK();
}

}  // namespace

Status ValidateTags(StringPairs* tags) {
  return ValidateTagSet(tags, kMaxObjectTags, "Object tags cannot be greater than 10");
}

Status ValidateBucketTags(StringPairs* tags) {
  return ValidateTagSet(tags, kMaxBucketTags, "Bucket tag count cannot be greater than 50");
}

}  // namespace kumo
