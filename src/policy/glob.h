// Glob matching and ASCII case helpers for the IAM policy language. In a pattern '*'
// matches any run of characters (also none) and '?' exactly one; nothing else is special.
// Pure functions: thread-safe, no allocation except ToLower's result.
#pragma once

#include <string>
#include <string_view>

namespace kumo::policy {

// Returns whether all of text matches pattern. Greedy with a single backtrack point (the
// last '*' seen): O(|pattern| * |text|) in the worst case, linear for the patterns that
// policies use, never exponential, and it allocates nothing. ignore_case folds ASCII.
bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case = false);

// Whether s contains '*' or '?'.
bool HasWildcard(std::string_view s);

inline char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string ToLower(std::string_view s);

}  // namespace kumo::policy
