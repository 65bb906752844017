#include "s3/range.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo::s3 {
namespace {

// Resolves a header that must yield a byte range and returns it.
ByteRange MustResolve(std::string_view header, uint64_t size) {
  auto r = ResolveRange(header, size);
  EXPECT_TRUE(r.ok()) << header << ": " << r.status().ToString();
  if (!r.ok() || !r->has_value()) {
    ADD_FAILURE() << header << " was ignored";
    return {};
  }
  return **r;
}

void ExpectRange(std::string_view header, uint64_t size, uint64_t first, uint64_t length) {
  SCOPED_TRACE(std::string(header) + " on " + std::to_string(size) + " bytes");
  ByteRange r = MustResolve(header, size);
  EXPECT_EQ(r.first, first);
  EXPECT_EQ(r.length, length);
}

void ExpectIgnored(std::string_view header, uint64_t size) {
  auto r = ResolveRange(header, size);
  ASSERT_TRUE(r.ok()) << header << ": " << r.status().ToString();
  EXPECT_FALSE(r->has_value()) << header << " resolved to " << (*r)->first << "+" << (*r)->length;
}

void ExpectNotSatisfiable(std::string_view header, uint64_t size) {
  auto r = ResolveRange(header, size);
  ASSERT_FALSE(r.ok()) << header << " on " << size << " bytes was satisfiable";
  EXPECT_TRUE(r.status().Is(ErrorCode::kInvalidRange)) << r.status().ToString();
}

TEST(ResolveRangeTest, ClosedRange) {
  ExpectRange("bytes=0-9", 100, 0, 10);
  ExpectRange("bytes=10-19", 100, 10, 10);
  ExpectRange("bytes=5-5", 100, 5, 1);
  ExpectRange("bytes=99-99", 100, 99, 1);
  ExpectRange("bytes=0-99", 100, 0, 100);
}

TEST(ResolveRangeTest, OpenEndedRange) {
  ExpectRange("bytes=10-", 100, 10, 90);
  ExpectRange("bytes=0-", 100, 0, 100);
  ExpectRange("bytes=99-", 100, 99, 1);
}

TEST(ResolveRangeTest, SuffixRange) {
  ExpectRange("bytes=-5", 100, 95, 5);
  ExpectRange("bytes=-1", 100, 99, 1);
  ExpectRange("bytes=-100", 100, 0, 100);
}

TEST(ResolveRangeTest, SuffixLongerThanObjectIsWholeObject) {
  ExpectRange("bytes=-500", 100, 0, 100);
  ExpectRange("bytes=-18446744073709551615", 7, 0, 7);
}

TEST(ResolveRangeTest, LastByteBeyondSizeClamps) {
  ExpectRange("bytes=90-200", 100, 90, 10);
  ExpectRange("bytes=0-100", 100, 0, 100);
  ExpectRange("bytes=0-18446744073709551615", 100, 0, 100);
  ExpectRange("bytes=0-9", 5, 0, 5);
}

TEST(ResolveRangeTest, FirstByteAtOrPastEndIsNotSatisfiable) {
  ExpectNotSatisfiable("bytes=100-", 100);
  ExpectNotSatisfiable("bytes=100-200", 100);
  ExpectNotSatisfiable("bytes=150-160", 100);
  ExpectNotSatisfiable("bytes=10-20", 5);
}

TEST(ResolveRangeTest, ZeroLengthSuffixIsNotSatisfiable) {
  ExpectNotSatisfiable("bytes=-0", 100);
  ExpectNotSatisfiable("bytes=-0", 0);
}

TEST(ResolveRangeTest, ZeroSizeObject) {
  // Nothing in an empty object can be addressed; S3 answers 416 InvalidRange.
  ExpectNotSatisfiable("bytes=0-", 0);
  ExpectNotSatisfiable("bytes=0-9", 0);
  ExpectNotSatisfiable("bytes=-5", 0);
  // Syntax errors are still ignored rather than rejected.
  ExpectIgnored("bytes=5-3", 0);
  ExpectIgnored("bytes=0-1,2-3", 0);
}

TEST(ResolveRangeTest, MultipleRangesAreIgnored) {
  ExpectIgnored("bytes=0-1,3-4", 100);
  ExpectIgnored("bytes=0-1, 3-4", 100);
  ExpectIgnored("bytes=-5,10-", 100);
}

TEST(ResolveRangeTest, OtherUnitsAreIgnored) {
  ExpectIgnored("items=0-9", 100);
  ExpectIgnored("bits=0-9", 100);
  ExpectIgnored("0-9", 100);
}

TEST(ResolveRangeTest, GarbageIsIgnored) {
  ExpectIgnored("", 100);
  ExpectIgnored("garbage", 100);
  ExpectIgnored("bytes=", 100);
  ExpectIgnored("bytes=-", 100);
  ExpectIgnored("bytes=abc", 100);
  ExpectIgnored("bytes=a-b", 100);
  ExpectIgnored("bytes=0-9x", 100);
  ExpectIgnored("bytes=x0-9", 100);
  ExpectIgnored("bytes=--5", 100);
  ExpectIgnored("bytes=1-2-3", 100);
  ExpectIgnored("bytes=+1-2", 100);
  ExpectIgnored("bytes= 0-9", 100);
  ExpectIgnored("bytes=-5x", 100);
}

TEST(ResolveRangeTest, InvertedRangeIsIgnored) {
  ExpectIgnored("bytes=5-3", 100);
  ExpectIgnored("bytes=1-0", 100);
  // Inverted even when the first byte is past the end: syntax wins over satisfiability.
  ExpectIgnored("bytes=500-300", 100);
}

}  // namespace
}  // namespace kumo::s3
