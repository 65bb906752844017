#include "s3/conditional.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "common/time_util.h"

namespace kumo::s3 {
namespace {

constexpr std::string_view kEtag = "d41d8cd98f00b204e9800998ecf8427e";
// "Sun, 06 Nov 1994 08:49:37 GMT"
constexpr int64_t kMtime = 784111777;

// Owns the header values a Conditions struct points to.
struct Headers {
  std::optional<std::string> if_match, if_none_match, if_modified_since, if_unmodified_since;

  Headers& IfMatch(std::string v) { return Set(if_match, std::move(v)); }
  Headers& IfNoneMatch(std::string v) { return Set(if_none_match, std::move(v)); }
  Headers& IfModifiedSince(std::string v) { return Set(if_modified_since, std::move(v)); }
  Headers& IfUnmodifiedSince(std::string v) { return Set(if_unmodified_since, std::move(v)); }

  Conditions Get() const {
    auto ptr = [](const std::optional<std::string>& v) { return v ? &*v : nullptr; };
    return {ptr(if_match), ptr(if_none_match), ptr(if_modified_since), ptr(if_unmodified_since)};
  }

 private:
  Headers& Set(std::optional<std::string>& field, std::string v) {
    field = std::move(v);
    return *this;
  }
};

// Concatenation by append: GCC 12 at -O3 reports a false -Wrestrict on
// `const char* + std::string`.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out.append(p);
  return out;
}
std::string Quoted(std::string_view etag) { return Cat({"\"", etag, "\""}); }
std::string Date(int64_t seconds) { return FormatRfc1123(seconds); }

Status Eval(const Headers& h) { return EvaluateConditions(h.Get(), kEtag, kMtime); }
Status EvalCopy(const Headers& h) { return EvaluateCopySourceConditions(h.Get(), kEtag, kMtime); }

#define EXPECT_CODE(expr, code)                                         \
  do {                                                                  \
    Status _s = (expr);                                                 \
    EXPECT_TRUE(_s.Is(code)) << #expr << " returned " << _s.ToString(); \
  } while (0)

TEST(ConditionalTest, NoConditionsIsOk) { EXPECT_TRUE(Eval(Headers()).ok()); }

TEST(ConditionalTest, IfMatch) {
  EXPECT_TRUE(Eval(Headers().IfMatch(Quoted(kEtag))).ok());
  EXPECT_TRUE(Eval(Headers().IfMatch(std::string(kEtag))).ok());  // unquoted
  EXPECT_TRUE(Eval(Headers().IfMatch("*")).ok());
  EXPECT_CODE(Eval(Headers().IfMatch("\"0123\"")), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(Eval(Headers().IfMatch("0123")), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(Eval(Headers().IfMatch("")), ErrorCode::kPreconditionFailed);
  // A prefix or a superstring of the etag is not a match.
  EXPECT_CODE(Eval(Headers().IfMatch(Quoted(kEtag.substr(1)))), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(Eval(Headers().IfMatch(Quoted(Cat({kEtag, "0"})))), ErrorCode::kPreconditionFailed);
}

TEST(ConditionalTest, IfNoneMatch) {
  EXPECT_CODE(Eval(Headers().IfNoneMatch(Quoted(kEtag))), ErrorCode::kNotModified);
  EXPECT_CODE(Eval(Headers().IfNoneMatch(std::string(kEtag))), ErrorCode::kNotModified);
  EXPECT_CODE(Eval(Headers().IfNoneMatch("*")), ErrorCode::kNotModified);
  EXPECT_TRUE(Eval(Headers().IfNoneMatch("\"0123\"")).ok());
  EXPECT_TRUE(Eval(Headers().IfNoneMatch("0123")).ok());
}

TEST(ConditionalTest, EtagLists) {
  std::string list = Cat({"\"aaa\", ", Quoted(kEtag), " ,\"bbb\""});
  EXPECT_TRUE(Eval(Headers().IfMatch(list)).ok());
  EXPECT_CODE(Eval(Headers().IfNoneMatch(list)), ErrorCode::kNotModified);
  EXPECT_CODE(Eval(Headers().IfMatch("\"aaa\",\"bbb\"")), ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(Eval(Headers().IfNoneMatch("\"aaa\",\"bbb\"")).ok());
  EXPECT_TRUE(Eval(Headers().IfMatch(Cat({"aaa,\t", kEtag}))).ok());
  EXPECT_TRUE(Eval(Headers().IfMatch("\"aaa\", *")).ok());
}

TEST(ConditionalTest, EtagListMatches) {
  EXPECT_TRUE(EtagListMatches("\"abc\"", "abc"));
  EXPECT_TRUE(EtagListMatches("abc", "abc"));
  EXPECT_TRUE(EtagListMatches(" \"abc\" ", "abc"));
  EXPECT_TRUE(EtagListMatches("x, abc", "abc"));
  EXPECT_TRUE(EtagListMatches("*", "abc"));
  EXPECT_TRUE(EtagListMatches("\"abc-2\"", "abc-2"));  // multipart etag
  EXPECT_FALSE(EtagListMatches("", "abc"));
  EXPECT_FALSE(EtagListMatches(",,", "abc"));
  EXPECT_FALSE(EtagListMatches("\"abcd\"", "abc"));
  EXPECT_FALSE(EtagListMatches("\"ab\"", "abc"));
  EXPECT_FALSE(EtagListMatches("\"ABC\"", "abc"));  // comparison is exact
  EXPECT_FALSE(EtagListMatches("\"abc", "abc"));    // unbalanced quote kept
}

TEST(ConditionalTest, IfModifiedSince) {
  // Not modified after the date (equal or earlier): 304.
  EXPECT_CODE(Eval(Headers().IfModifiedSince(Date(kMtime))), ErrorCode::kNotModified);
  EXPECT_CODE(Eval(Headers().IfModifiedSince(Date(kMtime + 3600))), ErrorCode::kNotModified);
  EXPECT_CODE(Eval(Headers().IfModifiedSince("Sun, 06 Nov 1994 08:49:37 GMT")),
              ErrorCode::kNotModified);
  // Modified after the date: the object is returned.
  EXPECT_TRUE(Eval(Headers().IfModifiedSince(Date(kMtime - 1))).ok());
  EXPECT_TRUE(Eval(Headers().IfModifiedSince("Sun, 06 Nov 1994 08:49:36 GMT")).ok());
}

TEST(ConditionalTest, IfUnmodifiedSince) {
  EXPECT_CODE(Eval(Headers().IfUnmodifiedSince(Date(kMtime - 1))), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(Eval(Headers().IfUnmodifiedSince(Date(kMtime - 86400))),
              ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(Eval(Headers().IfUnmodifiedSince(Date(kMtime))).ok());
  EXPECT_TRUE(Eval(Headers().IfUnmodifiedSince(Date(kMtime + 1))).ok());
}

TEST(ConditionalTest, UnparseableDatesAreIgnored) {
  // RFC 7232 3.3/3.4: an invalid HTTP-date makes the header ignored.
  EXPECT_TRUE(Eval(Headers().IfModifiedSince("yesterday")).ok());
  EXPECT_TRUE(Eval(Headers().IfUnmodifiedSince("not a date")).ok());
  EXPECT_TRUE(Eval(Headers().IfModifiedSince("")).ok());
}

TEST(ConditionalTest, IfMatchTrueOverridesIfUnmodifiedSinceFalse) {
  EXPECT_TRUE(Eval(Headers().IfMatch(Quoted(kEtag)).IfUnmodifiedSince(Date(kMtime - 1))).ok());
  // Without the If-Match the same date fails, so the override is what made it pass.
  EXPECT_CODE(Eval(Headers().IfUnmodifiedSince(Date(kMtime - 1))), ErrorCode::kPreconditionFailed);
}

TEST(ConditionalTest, IfMatchFalseFailsEvenWhenUnmodified) {
  EXPECT_CODE(Eval(Headers().IfMatch("\"other\"").IfUnmodifiedSince(Date(kMtime + 1))),
              ErrorCode::kPreconditionFailed);
}

TEST(ConditionalTest, IfNoneMatchFalseWithIfModifiedSinceTrueIsNotModified) {
  // The etag matches (If-None-Match false) although the object changed after the date.
  EXPECT_CODE(Eval(Headers().IfNoneMatch(Quoted(kEtag)).IfModifiedSince(Date(kMtime - 3600))),
              ErrorCode::kNotModified);
}

TEST(ConditionalTest, IfNoneMatchTrueIgnoresIfModifiedSince) {
  // RFC 7232 3.3: If-Modified-Since is ignored when If-None-Match is present.
  EXPECT_TRUE(Eval(Headers().IfNoneMatch("\"other\"").IfModifiedSince(Date(kMtime + 3600))).ok());
}

TEST(ConditionalTest, IfMatchIsEvaluatedBeforeIfNoneMatch) {
  EXPECT_CODE(Eval(Headers().IfMatch("\"other\"").IfNoneMatch(Quoted(kEtag))),
              ErrorCode::kPreconditionFailed);
  EXPECT_CODE(Eval(Headers().IfMatch(Quoted(kEtag)).IfNoneMatch(Quoted(kEtag))),
              ErrorCode::kNotModified);
}

TEST(ConditionalTest, IfUnmodifiedSinceFailureWinsOverNotModified) {
  EXPECT_CODE(Eval(Headers().IfNoneMatch(Quoted(kEtag)).IfUnmodifiedSince(Date(kMtime - 1))),
              ErrorCode::kPreconditionFailed);
}

TEST(CopySourceConditionalTest, NotModifiedBecomesPreconditionFailed) {
  EXPECT_CODE(EvalCopy(Headers().IfNoneMatch(Quoted(kEtag))), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(EvalCopy(Headers().IfNoneMatch("*")), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(EvalCopy(Headers().IfModifiedSince(Date(kMtime))), ErrorCode::kPreconditionFailed);
  EXPECT_CODE(EvalCopy(Headers().IfNoneMatch(Quoted(kEtag)).IfModifiedSince(Date(kMtime - 1))),
              ErrorCode::kPreconditionFailed);
}

TEST(CopySourceConditionalTest, SameRulesOtherwise) {
  EXPECT_TRUE(EvalCopy(Headers()).ok());
  EXPECT_TRUE(EvalCopy(Headers().IfMatch(Quoted(kEtag))).ok());
  EXPECT_CODE(EvalCopy(Headers().IfMatch("\"other\"")), ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(EvalCopy(Headers().IfNoneMatch("\"other\"")).ok());
  EXPECT_TRUE(EvalCopy(Headers().IfModifiedSince(Date(kMtime - 1))).ok());
  EXPECT_CODE(EvalCopy(Headers().IfUnmodifiedSince(Date(kMtime - 1))),
              ErrorCode::kPreconditionFailed);
  // x-amz-copy-source-if-match true + if-unmodified-since false: the copy proceeds.
  EXPECT_TRUE(EvalCopy(Headers().IfMatch(Quoted(kEtag)).IfUnmodifiedSince(Date(kMtime - 1))).ok());
}

}  // namespace
}  // namespace kumo::s3
