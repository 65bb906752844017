#include "policy/variables.h"

#include "policy/glob.h"

namespace kumo::policy {

namespace {

void Append(std::string_view text, bool literal, ExpandedPattern* out) {
  out->text.append(text);
  out->literal.insert(out->literal.end(), text.size(), literal);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

bool HasVariable(std::string_view s) { return s.find("${") != std::string_view::npos; }

bool ExpandVariables(std::string_view pattern, const RequestContext& context,
                     ExpandedPattern* out) {
  out->text.clear();
  out->literal.clear();
  while (!pattern.empty()) {
    size_t open = pattern.find("${");
    size_t close = open == std::string_view::npos ? open : pattern.find('}', open + 2);
    if (close == std::string_view::npos) {
      Append(pattern, false, out);
      return true;
    }
    Append(pattern.substr(0, open), false, out);
    std::string_view var = pattern.substr(open + 2, close - open - 2);
    pattern.remove_prefix(close + 1);
    if (var == "*" || var == "?" || var == "$") {
      Append(var, true, out);
      continue;
    }
    std::string_view fallback;
    bool has_fallback = false;
    if (size_t comma = var.find(','); comma != std::string_view::npos) {
      std::string_view rest = TrimSpaces(var.substr(comma + 1));
      if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'') {
        fallback = rest.substr(1, rest.size() - 2);
        has_fallback = true;
      }
      var = var.substr(0, comma);
    }
    const std::vector<std::string>* values = context.Find(ToLower(TrimSpaces(var)));
    if (values != nullptr && !values->empty()) {
      Append(values->front(), true, out);
    } else if (has_fallback) {
      Append(fallback, true, out);
    } else {
      return false;
    }
  }
  return true;
}

bool ExpandedGlobMatch(const ExpandedPattern& pattern, std::string_view text) {
  constexpr size_t kNone = std::string_view::npos;
  const std::string& p_text = pattern.text;
  auto is = [&](size_t p, char c) { return p_text[p] == c && !pattern.literal[p]; };
  size_t p = 0, t = 0, star = kNone, resume = 0;
  while (t < text.size()) {
    if (p < p_text.size() && is(p, '*')) {
      star = p++;
      resume = t;
      continue;
    }
    if (p < p_text.size() && (is(p, '?') || p_text[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    // As GlobMatch: only the last '*' ever needs to swallow more.
    if (star == kNone) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < p_text.size() && is(p, '*')) ++p;
  return p == p_text.size();
}

}  // namespace kumo::policy
