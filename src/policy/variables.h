// Policy variables of the 2012-10-17 policy language: ${aws:username} and the like in a
// Resource / NotResource pattern or a String* / Arn* condition value, replaced at
// evaluation by the request's value of the key. ${key, 'default'} gives a value for an
// absent key; ${*}, ${?} and ${$} stand for the characters themselves. A substituted
// value is text: its '*' and '?' are never wildcards. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/conditions.h"

namespace kumo::policy {

// A pattern with its variables replaced; literal[i] marks the characters of text that
// came from a variable (never wildcards).
struct ExpandedPattern {
  std::string text;
  std::vector<bool> literal;
};

// Whether s holds a "${" (a variable, when the policy's language has them).
bool HasVariable(std::string_view s);

// Replaces the variables of pattern from context into *out (cleared first). Returns false
// when a variable has no value and no default: the pattern then matches nothing, as in
// IAM. A "${" without its "}" is kept as text.
bool ExpandVariables(std::string_view pattern, const RequestContext& context, ExpandedPattern* out);

// GlobMatch (glob.h) of an expanded pattern: the literal characters are never wildcards.
bool ExpandedGlobMatch(const ExpandedPattern& pattern, std::string_view text);

}  // namespace kumo::policy
