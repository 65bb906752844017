#include "policy/evaluate.h"

#include "policy/glob.h"

namespace kumo::policy {

namespace {

// Whether the principal is one of the set. "*" covers everyone, anonymous included; the
// account's root ARN covers every user of the account.
bool InSet(const PrincipalSet& set, const Principal& p) {
  if (set.any) return true;
  if (p.anonymous) return false;
  for (const auto& id : set.ids) {
    if (id == p.arn || id == p.access_key) return true;
    if (id.size() == 13 + kAccountId.size() + 5 && id.starts_with("arn:aws:iam::") &&
        id.ends_with(":root") && std::string_view(id).substr(13, kAccountId.size()) == kAccountId) {
      return true;
    }
  }
  return false;
}

// A resource pattern with its policy variables replaced: literal[i] marks the characters
// that came from a variable's value (or from ${*}, ${?}, ${$}), which are never wildcards.
struct Expanded {
  std::string pattern;
  std::vector<bool> literal;
  void Append(std::string_view text, bool is_literal) {
    pattern.append(text);
    literal.insert(literal.end(), text.size(), is_literal);
  }
};

// Replaces each ${key} and ${key, 'default'} by the request's (first) value of key, or the
// default; ${*}, ${?} and ${$} stand for the characters themselves. Returns false when a
// variable has neither (the pattern then matches nothing, as in IAM). A "${" without its
// "}" is kept as text.
bool ExpandVariables(std::string_view pattern, const RequestContext& context, Expanded* out) {
  while (!pattern.empty()) {
    size_t open = pattern.find("${");
    size_t close = open == std::string_view::npos ? open : pattern.find('}', open + 2);
    if (close == std::string_view::npos) {
      out->Append(pattern, false);
      return true;
    }
    out->Append(pattern.substr(0, open), false);
    std::string_view var = pattern.substr(open + 2, close - open - 2);
    pattern.remove_prefix(close + 1);
    if (var == "*" || var == "?" || var == "$") {
      out->Append(var, true);
      continue;
    }
    std::string_view fallback;
    bool has_fallback = false;
    if (size_t comma = var.find(','); comma != std::string_view::npos) {
      std::string_view rest = var.substr(comma + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'') {
        fallback = rest.substr(1, rest.size() - 2);
        has_fallback = true;
      }
      var = var.substr(0, comma);
      while (!var.empty() && var.back() == ' ') var.remove_suffix(1);
    }
    const std::vector<std::string>* values = context.Find(ToLower(var));
    if (values != nullptr && !values->empty()) {
      out->Append(values->front(), true);
    } else if (has_fallback) {
      out->Append(fallback, true);
    } else {
      return false;
    }
  }
  return true;
}

// GlobMatch over an expanded pattern: the same algorithm, with literal characters never
// taken for wildcards.
bool ExpandedMatch(const Expanded& e, std::string_view text) {
  constexpr size_t kNone = std::string_view::npos;
  const std::string& pattern = e.pattern;
  auto is = [&](size_t p, char c) { return pattern[p] == c && !e.literal[p]; };
  size_t p = 0, t = 0, star = kNone, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && is(p, '*')) {
      star = p++;
      resume = t;
      continue;
    }
    if (p < pattern.size() && (is(p, '?') || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star == kNone) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < pattern.size() && is(p, '*')) ++p;
  return p == pattern.size();
}

bool PatternMatches(std::string_view pattern, std::string_view resource, bool variables,
                    const RequestContext& context) {
  if (!variables || pattern.find("${") == std::string_view::npos) {
    return GlobMatch(pattern, resource);
  }
  Expanded expanded;
  return ExpandVariables(pattern, context, &expanded) && ExpandedMatch(expanded, resource);
}

bool ResourceMatches(const Statement& s, std::string_view resource, bool variables,
                     const RequestContext& context) {
  bool any = false;
  for (const auto& pattern : s.resources) {
    if (PatternMatches(pattern, resource, variables, context)) {
      any = true;
      break;
    }
  }
  return any != s.not_resource;
}

bool Applies(const Statement& s, bool check_principal, bool variables, const Principal& principal,
             ActionSet action_bit, std::string_view resource, const RequestContext& context) {
  if (check_principal && s.has_principal && InSet(s.principals, principal) == s.not_principal) {
    return false;
  }
  if (((s.actions & action_bit) != 0) == s.not_action) return false;
  if (!ResourceMatches(s, resource, variables, context)) return false;
  return ConditionsHold(s.conditions, context);
}

}  // namespace

bool HasPolicyVariables(const Policy& policy) {
  // The 2008-10-17 language has no variables: "${" is text there.
  if (policy.version != "2012-10-17") return false;
  for (const Statement& s : policy.statements) {
    for (const auto& r : s.resources) {
      if (r.find("${") != std::string::npos) return true;
    }
  }
  return false;
}

Principal Principal::User(std::string user_name, std::string access_key) {
  Principal p;
  p.anonymous = false;
  p.arn = std::string("arn:aws:iam::").append(kAccountId).append(":user/").append(user_name);
  p.user_name = std::move(user_name);
  p.access_key = std::move(access_key);
  return p;
}

std::string BucketArn(std::string_view bucket) {
  return std::string("arn:aws:s3:::").append(bucket);
}

std::string ObjectArn(std::string_view bucket, std::string_view key) {
  return std::string("arn:aws:s3:::").append(bucket).append("/").append(key);
}

Decision Evaluate(const std::vector<const Policy*>& policies, const Principal& principal,
                  std::string_view action, std::string_view resource,
                  const RequestContext& context) {
  const ActionSet bit = ActionBit(action);
  bool allowed = false;
  for (const Policy* policy : policies) {
    if (policy == nullptr) continue;
    const bool variables = HasPolicyVariables(*policy);
    for (const Statement& s : policy->statements) {
      // A Deny is decisive; an Allow only needs to be found once.
      if (s.effect == Effect::kAllow && allowed) continue;
      if (!Applies(s, !policy->is_identity_policy, variables, principal, bit, resource, context)) {
        continue;
      }
      if (s.effect == Effect::kDeny) return Decision::kExplicitDeny;
      allowed = true;
    }
  }
  return allowed ? Decision::kAllow : Decision::kImplicitDeny;
}

}  // namespace kumo::policy
