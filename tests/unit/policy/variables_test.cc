#include "policy/variables.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::policy {
namespace {

RequestContext Alice() {
  RequestContext ctx;
  ctx.Set("aws:username", "alice");
  ctx.Set("aws:PrincipalTag/team", "blue*");
  return ctx;
}

// The expansion, with the literal characters shown in brackets.
std::string Show(std::string_view pattern, const RequestContext& ctx) {
  ExpandedPattern e;
  if (!ExpandVariables(pattern, ctx, &e)) return "<no value>";
  std::string out;
  for (size_t i = 0; i < e.text.size(); ++i) {
    if (e.literal[i] && (i == 0 || !e.literal[i - 1])) out += '[';
    out += e.text[i];
    if (e.literal[i] && (i + 1 == e.text.size() || !e.literal[i + 1])) out += ']';
  }
  return out;
}

TEST(PolicyVariablesTest, Expands) {
  RequestContext ctx = Alice();
  EXPECT_EQ(Show("home/${aws:username}/*", ctx), "home/[alice]/*");
  EXPECT_EQ(Show("${AWS:UserName}", ctx), "[alice]");  // keys are case-insensitive
  EXPECT_EQ(Show("${aws:principaltag/team}-${aws:username}", ctx), "[blue*]-[alice]");
  EXPECT_EQ(Show("a${*}b${?}c${$}d", ctx), "a[*]b[?]c[$]d");
  EXPECT_EQ(Show("${aws:userid, 'guest'}/x", ctx), "[guest]/x");
  EXPECT_EQ(Show("${aws:userid,'guest'}", ctx), "[guest]");
  EXPECT_EQ(Show("${aws:username, 'guest'}", ctx), "[alice]");
  EXPECT_EQ(Show("${aws:userid}", ctx), "<no value>");
  EXPECT_EQ(Show("${aws:userid, guest}", ctx), "<no value>");  // a default is quoted
  EXPECT_EQ(Show("open ${aws:username", ctx), "open ${aws:username");
  EXPECT_EQ(Show("no variables", ctx), "no variables");
  EXPECT_EQ(Show("", ctx), "");
  EXPECT_TRUE(HasVariable("x${y}"));
  EXPECT_FALSE(HasVariable("x$y{}"));
}

TEST(PolicyVariablesTest, SubstitutedWildcardsAreText) {
  RequestContext ctx = Alice();
  ExpandedPattern e;
  ASSERT_TRUE(ExpandVariables("team/${aws:PrincipalTag/team}/*", ctx, &e));
  EXPECT_TRUE(ExpandedGlobMatch(e, "team/blue*/x"));
  EXPECT_FALSE(ExpandedGlobMatch(e, "team/bluest/x"));
  EXPECT_TRUE(ExpandedGlobMatch(e, "team/blue*/"));
  ASSERT_TRUE(ExpandVariables("a?${?}*", ctx, &e));
  EXPECT_TRUE(ExpandedGlobMatch(e, "ax?"));
  EXPECT_TRUE(ExpandedGlobMatch(e, "ax?anything"));
  EXPECT_FALSE(ExpandedGlobMatch(e, "axy"));
}

}  // namespace
}  // namespace kumo::policy
