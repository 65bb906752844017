#include "policy/evaluate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>

// Counts heap allocations, to show that evaluation makes none. The deletes are kept out
// of line: inlined, GCC flags free() of operator new memory (-Wmismatched-new-delete).
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace kumo::policy {
namespace {

Policy Parse(const std::string& json, bool identity = false) {
  ParseOptions options;
  options.is_identity_policy = identity;
  Result<Policy> p = ParsePolicy(json, options);
  EXPECT_TRUE(p.ok()) << p.status().message() << "\n" << json;
  return p.ok() ? std::move(p).value() : Policy{};
}

const Principal kAlice = Principal::User("alice", "AKIAALICE");
const Principal kBob = Principal::User("bob", "AKIABOB");
const Principal kAnonymous = Principal::Anonymous();
const RequestContext kNoContext;

Decision Eval(const Policy& p, const Principal& who, std::string_view action,
              std::string_view resource, const RequestContext& ctx = kNoContext) {
  return Evaluate({&p}, who, action, resource, ctx);
}

TEST(PrincipalTest, UserArn) {
  EXPECT_EQ(kAlice.arn, "arn:aws:iam::000000000000:user/alice");
  EXPECT_FALSE(kAlice.anonymous);
  EXPECT_TRUE(kAnonymous.anonymous);
  EXPECT_EQ(ObjectArn("b", "k/1"), "arn:aws:s3:::b/k/1");
  EXPECT_EQ(BucketArn("b"), "arn:aws:s3:::b");
}

TEST(EvaluateTest, AllowDenyAndImplicitDeny) {
  Policy p = Parse(R"({"Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}
  ]})");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/x"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "S3:GETOBJECT", "arn:aws:s3:::b/x"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/secret/x"), Decision::kExplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:PutObject", "arn:aws:s3:::b/x"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::c/x"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::B/x"), Decision::kImplicitDeny);
  EXPECT_EQ(Evaluate({}, kAlice, "s3:GetObject", "arn:aws:s3:::b/x", kNoContext),
            Decision::kImplicitDeny);
}

TEST(EvaluateTest, DenyInAnyPolicyWins) {
  Policy allow = Parse(R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
                       /*identity=*/true);
  Policy deny = Parse(R"({"Statement":{"Effect":"Deny","Principal":{"AWS":"AKIAALICE"},)"
                      R"("Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}})");
  for (auto order : {std::vector<const Policy*>{&allow, &deny}, {&deny, &allow}}) {
    EXPECT_EQ(Evaluate(order, kAlice, "s3:DeleteObject", "arn:aws:s3:::b/k", kNoContext),
              Decision::kExplicitDeny);
    EXPECT_EQ(Evaluate(order, kBob, "s3:DeleteObject", "arn:aws:s3:::b/k", kNoContext),
              Decision::kAllow);
  }
  // The identity policy has no principal: it applies to whoever it is attached to.
  EXPECT_EQ(Eval(allow, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/k"), Decision::kAllow);
  EXPECT_EQ(Eval(allow, kAlice, "kumo:Admin", "*"), Decision::kImplicitDeny);
  EXPECT_EQ(Evaluate({nullptr, &allow}, kAlice, "s3:GetObject", "x", kNoContext), Decision::kAllow);
}

TEST(EvaluateTest, PrincipalMatching) {
  Policy p = Parse(R"({"Statement":[
    {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/alice"]},
     "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/alice/*"},
    {"Effect":"Allow","Principal":{"AWS":"AKIABOB"},
     "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/bob/*"},
    {"Effect":"Allow","Principal":{"AWS":"000000000000"},
     "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/users/*"},
    {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/pub/*"},
    {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/aws/*"}
  ]})");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/alice/1"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kBob, "s3:GetObject", "arn:aws:s3:::b/alice/1"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kBob, "s3:GetObject", "arn:aws:s3:::b/bob/1"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/bob/1"), Decision::kImplicitDeny);
  // The account root covers its users, not anonymous requests.
  EXPECT_EQ(Eval(p, kBob, "s3:GetObject", "arn:aws:s3:::b/users/1"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/users/1"), Decision::kImplicitDeny);
  // "*" and {"AWS":"*"} cover everyone, anonymous included.
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/pub/1"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/aws/1"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/alice/1"), Decision::kImplicitDeny);
}

TEST(EvaluateTest, NotPrincipal) {
  // Deny everyone but alice.
  Policy p = Parse(R"({"Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::000000000000:user/alice"},
     "Action":"s3:*","Resource":"arn:aws:s3:::b/*"}
  ]})");
  EXPECT_EQ(Eval(p, kAlice, "s3:PutObject", "arn:aws:s3:::b/k"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kBob, "s3:PutObject", "arn:aws:s3:::b/k"), Decision::kExplicitDeny);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:PutObject", "arn:aws:s3:::b/k"), Decision::kExplicitDeny);
  Policy nobody = Parse(R"({"Statement":{"Effect":"Deny","NotPrincipal":"*",)"
                        R"("Action":"s3:*","Resource":"*"}})");
  EXPECT_EQ(Eval(nobody, kAnonymous, "s3:GetObject", "x"), Decision::kImplicitDeny);
}

TEST(EvaluateTest, NotActionAndNotResource) {
  Policy p = Parse(R"({"Statement":[
    {"Effect":"Allow","Principal":"*","NotAction":["s3:Delete*","s3:Put*"],"Resource":"*"},
    {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":["arn:aws:s3:::b/pub/*"]}
  ]})");
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:PutObject", "arn:aws:s3:::b/pub/x"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:DeleteBucket", "arn:aws:s3:::b"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/pub/x"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/private/x"), Decision::kExplicitDeny);
  // An action outside the table is covered by NotAction (and "*"), never by a named set.
  EXPECT_EQ(Eval(p, kAlice, "s3:SomeFutureAction", "arn:aws:s3:::b"), Decision::kAllow);
}

TEST(EvaluateTest, Conditions) {
  Policy p = Parse(R"({"Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
     "Condition":{"StringLike":{"s3:prefix":"home/*"}}},
    {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
     "Condition":{"StringEquals":{"s3:prefix":"public/"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
    {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
     "Condition":{"Bool":{"aws:SecureTransport":"false"}}}
  ]})");
  RequestContext ctx;
  ctx.Set("s3:prefix", "public/");
  ctx.Set("aws:SourceIp", "10.1.1.1");
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx), Decision::kAllow);
  ctx.Set("aws:SourceIp", "192.168.1.1");
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx), Decision::kImplicitDeny);
  ctx.Set("aws:SourceIp", "10.1.1.1");
  ctx.Set("aws:SecureTransport", "false");
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx), Decision::kExplicitDeny);
}

TEST(EvaluateTest, PolicyVariablesInResources) {
  Policy p = Parse(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
     "Resource":"arn:aws:s3:::b/home/${aws:username}/*"},
    {"Effect":"Allow","Principal":"*","Action":"s3:PutObject",
     "Resource":"arn:aws:s3:::b/drop/${aws:username, 'guest'}/*"},
    {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b${*}${?}"},
    {"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",
     "NotResource":"arn:aws:s3:::b/home/${aws:username}/*"}
  ]})");
  EXPECT_TRUE(HasPolicyVariables(p));
  RequestContext alice;
  alice.Set("aws:username", "alice");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/alice/x", alice),
            Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/bob/x", alice),
            Decision::kImplicitDeny);
  // The Deny's NotResource is the caller's own home: every other key is denied.
  EXPECT_EQ(Eval(p, kAlice, "s3:DeleteObject", "arn:aws:s3:::b/home/bob/x", alice),
            Decision::kExplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:DeleteObject", "arn:aws:s3:::b/home/alice/x", alice),
            Decision::kImplicitDeny);
  // No value: the pattern matches nothing, unless it has a default.
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/home//x"), Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:GetObject", "arn:aws:s3:::b/home/${aws:username}/x"),
            Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAnonymous, "s3:PutObject", "arn:aws:s3:::b/drop/guest/x"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:PutObject", "arn:aws:s3:::b/drop/alice/x", alice),
            Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:PutObject", "arn:aws:s3:::b/drop/guest/x", alice),
            Decision::kImplicitDeny);
  // A value is text, never a wildcard; so are ${*} and ${?}.
  RequestContext star;
  star.Set("aws:username", "*");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/bob/x", star),
            Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/*/x", star), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b*?"), Decision::kAllow);
  EXPECT_EQ(Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::bxy"), Decision::kImplicitDeny);
}

TEST(EvaluateTest, PolicyVariablesInConditionValues) {
  const std::string statements = R"("Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
     "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","shared/"]}}},
    {"Effect":"Allow","Principal":"*","Action":"s3:GetBucketTagging","Resource":"arn:aws:s3:::b",
     "Condition":{"StringEqualsIgnoreCase":{"s3:prefix":"${aws:username}"}}},
    {"Effect":"Deny","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
     "Condition":{"StringNotEquals":{"aws:userid":"${aws:username, 'nobody'}"}}}
  ]})";
  Policy p = Parse(R"({"Version":"2012-10-17",)" + statements);
  RequestContext ctx;
  ctx.Set("aws:username", "alice");
  ctx.Set("aws:userid", "alice");
  auto list = [&](std::string prefix) {
    ctx.Set("s3:prefix", std::move(prefix));
    return Eval(p, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx);
  };
  EXPECT_EQ(list("home/alice/photos/"), Decision::kAllow);
  EXPECT_EQ(list("shared/"), Decision::kAllow);
  EXPECT_EQ(list("home/bob/"), Decision::kImplicitDeny);
  EXPECT_EQ(list("ALICE"), Decision::kImplicitDeny);
  ctx.Set("s3:prefix", "ALICE");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetBucketTagging", "arn:aws:s3:::b", ctx), Decision::kAllow);
  // The Deny compares two request values.
  ctx.Set("aws:userid", "bob");
  EXPECT_EQ(list("shared/"), Decision::kExplicitDeny);
  // A substituted '*' is text.
  ctx.Set("aws:username", "*");
  ctx.Set("aws:userid", "*");
  EXPECT_EQ(list("home/bob/"), Decision::kImplicitDeny);
  EXPECT_EQ(list("home/*/x"), Decision::kAllow);
  // No username: the default applies.
  RequestContext anonymous;
  anonymous.Set("s3:prefix", "shared/");
  anonymous.Set("aws:userid", "nobody");
  EXPECT_EQ(Eval(p, kAnonymous, "s3:ListBucket", "arn:aws:s3:::b", anonymous), Decision::kAllow);
  anonymous.Set("aws:userid", "somebody");
  EXPECT_EQ(Eval(p, kAnonymous, "s3:ListBucket", "arn:aws:s3:::b", anonymous),
            Decision::kExplicitDeny);

  // In the 2008 language the same values are text.
  Policy old = Parse(R"({"Version":"2008-10-17",)" + statements);
  ctx.Set("aws:username", "alice");
  ctx.Set("aws:userid", "${aws:username, 'nobody'}");
  ctx.Set("s3:prefix", "home/alice/x");
  EXPECT_EQ(Eval(old, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx), Decision::kImplicitDeny);
  ctx.Set("s3:prefix", "home/${aws:username}/x");
  EXPECT_EQ(Eval(old, kAlice, "s3:ListBucket", "arn:aws:s3:::b", ctx), Decision::kAllow);
}

TEST(EvaluateTest, PolicyVariablesAreTextIn2008Policies) {
  Policy p = Parse(R"({"Version":"2008-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
     "Resource":"arn:aws:s3:::b/home/${aws:username}/*"}]})");
  EXPECT_FALSE(HasPolicyVariables(p));
  RequestContext alice;
  alice.Set("aws:username", "alice");
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/alice/x", alice),
            Decision::kImplicitDeny);
  EXPECT_EQ(Eval(p, kAlice, "s3:GetObject", "arn:aws:s3:::b/home/${aws:username}/x", alice),
            Decision::kAllow);
  EXPECT_FALSE(HasPolicyVariables(Parse(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})")));
}

// 20 statements, none of which matches until the last: the worst case for one request.
std::string TwentyStatements() {
  std::string json = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < 19; ++i) {
    json.append(R"({"Sid":"S)")
        .append(std::to_string(i))
        .append(R"(","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/u)")
        .append(std::to_string(i))
        .append(R"(","arn:aws:iam::000000000000:user/alice"]},"Action":["s3:Get*","s3:List*"],)")
        .append(R"("Resource":"arn:aws:s3:::b/dir)")
        .append(std::to_string(i))
        .append(R"(/*","Condition":{"StringLike":{"aws:UserAgent":"*aws-cli*"},)")
        .append(R"("IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}},)");
  }
  json.append(R"({"Sid":"Last","Effect":"Allow","Principal":"*","Action":"s3:GetObject",)")
      .append(R"("Resource":"arn:aws:s3:::b/*","Condition":{)")
      .append(R"("IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},)")
      .append(R"("DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},)")
      .append(R"("StringLike":{"aws:UserAgent":"*aws-cli*"}}}]})");
  return json;
}

TEST(EvaluateTest, TwentyStatementsHundredThousandTimesWithoutAllocating) {
  Policy p = Parse(TwentyStatements());
  ASSERT_EQ(p.statements.size(), 20u);
  RequestContext ctx;
  ctx.Set("aws:SourceIp", "2001:db8::42");
  ctx.Set("aws:UserAgent", "aws-cli/2.15.0 Python/3.11 Linux/6.1");
  ctx.Set("aws:CurrentTime", "2026-12-03T12:00:00Z");
  const std::vector<const Policy*> policies = {&p};
  const std::string resource = "arn:aws:s3:::b/photos/2026/cat.jpg";
  constexpr int kRuns = 100000;
  int allowed = 0;
  const long before = g_allocations.load();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRuns; ++i) {
    allowed += Evaluate(policies, kAlice, "s3:GetObject", resource, ctx) == Decision::kAllow;
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  const long after = g_allocations.load();
  EXPECT_EQ(allowed, kRuns);
  EXPECT_EQ(after - before, 0) << "Evaluate allocated";
  // The counter does count: one allocation is seen.
  delete new std::string(64, 'x');
  EXPECT_GT(g_allocations.load(), after);
  std::cout << kRuns << " evaluations of a 20-statement policy: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

}  // namespace
}  // namespace kumo::policy
