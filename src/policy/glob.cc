#include "policy/glob.h"

namespace kumo::policy {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0;
  size_t t = 0;
  size_t star = kNone;  // position of the last '*' in pattern
  size_t resume = 0;    // text position that '*' is currently matched up to
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
      continue;
    }
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t] ||
                               (ignore_case && AsciiLower(pattern[p]) == AsciiLower(text[t])))) {
      ++p;
      ++t;
      continue;
    }
    // Mismatch: let the last '*' swallow one more character. Earlier stars never need to
    // be revisited: whatever they could absorb, the last one can absorb as well.
    if (star == kNone) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace kumo::policy
