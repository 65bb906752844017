#include "catalog/search_query.h"

#include <gtest/gtest.h>

#include "catalog/attributes.h"

namespace kumo::catalog {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

SearchQuery Parse(const Params& p) {
  auto q = ParseSearchQuery(p);
  EXPECT_TRUE(q.ok()) << q.status().message();
  return q.ok() ? *q : SearchQuery{};
}

// The message of a refused query (which must be kInvalidArgument).
std::string Refused(const Params& p) {
  auto q = ParseSearchQuery(p);
  if (q.ok()) return "(accepted)";
  EXPECT_EQ(q.status().code(), ErrorCode::kInvalidArgument);
  return q.status().message();
}

TEST(SearchQueryTest, EmptyIsEverythingByKey) {
  SearchQuery q = Parse({});
  EXPECT_FALSE(q.bucket);
  EXPECT_EQ(q.limit, 100);
  EXPECT_EQ(q.sort.field, SortField::kKey);
  EXPECT_FALSE(q.sort.descending);
  EXPECT_TRUE(q.fts_match.empty());
}

TEST(SearchQueryTest, ScopeAndRanges) {
  SearchQuery q = Parse({{"bucket", "photos"},
                         {"prefix", "2026/"},
                         {"type", "image/*"},
                         {"min_size", "10"},
                         {"max_size", "2000"},
                         {"modified_after", "2026-01-01"},
                         {"modified_before", "2026-01-02T00:00:00.5+01:00"},
                         {"limit", "1000"}});
  EXPECT_EQ(*q.bucket, "photos");
  EXPECT_EQ(*q.prefix, "2026/");
  EXPECT_EQ(*q.type, "image/*");
  EXPECT_EQ(*q.min_size, 10);
  EXPECT_EQ(*q.max_size, 2000);
  EXPECT_EQ(*q.modified_after_ms, 1767225600000);
  EXPECT_EQ(*q.modified_before_ms, 1767225600000 + 86400000 - 3600000 + 500);
  EXPECT_EQ(q.limit, 1000);
}

TEST(SearchQueryTest, WhereForms) {
  SearchQuery q = Parse({{"where", "size>=100"},
                         {"where", "tag.color = red"},
                         {"where", "meta.n!=\"4\""},
                         {"where", "exif.iso<800"},
                         {"where", "content_type~image/*"},
                         {"where", "taken <= 2026-03-01T10:00:00Z"},
                         {"where", "last_modified>1700000000"},
                         {"where", "key > 5"},
                         {"where", "x=\"a \\\"q\\\" \\\\\""}});
  ASSERT_EQ(q.where.size(), 9u);
  EXPECT_EQ(q.where[0].field, Field::kSize);
  EXPECT_EQ(q.where[0].op, CompareOp::kGe);
  EXPECT_EQ(*q.where[0].number, 100);
  EXPECT_EQ(q.where[1].field, Field::kAttribute);
  EXPECT_EQ(q.where[1].name, "tag.color");
  EXPECT_EQ(q.where[1].text, "red");
  EXPECT_FALSE(q.where[1].number);
  EXPECT_EQ(q.where[2].op, CompareOp::kNe);
  EXPECT_EQ(q.where[2].text, "4");
  EXPECT_FALSE(q.where[2].number) << "a quoted value is a string";
  EXPECT_EQ(q.where[3].op, CompareOp::kLt);
  EXPECT_EQ(*q.where[3].number, 800);
  EXPECT_EQ(q.where[4].field, Field::kContentType);
  EXPECT_EQ(q.where[4].op, CompareOp::kGlob);
  EXPECT_EQ(q.where[5].op, CompareOp::kLe);
  EXPECT_EQ(*q.where[5].number, 1772359200);
  EXPECT_EQ(q.where[6].field, Field::kLastModified);
  EXPECT_EQ(*q.where[6].number, 1700000000000.0) << "last_modified compares in ms";
  EXPECT_EQ(q.where[7].field, Field::kKey);
  EXPECT_FALSE(q.where[7].number) << "text columns compare text";
  EXPECT_EQ(q.where[8].text, "a \"q\" \\");
}

TEST(SearchQueryTest, NearUnits) {
  SearchQuery q = Parse({{"near", "48.85,2.35,500m"}});
  EXPECT_DOUBLE_EQ(q.near->lat, 48.85);
  EXPECT_DOUBLE_EQ(q.near->lon, 2.35);
  EXPECT_DOUBLE_EQ(q.near->radius_km, 0.5);
  EXPECT_DOUBLE_EQ(Parse({{"near", "-10, 170, 3km"}}).near->radius_km, 3);
  EXPECT_DOUBLE_EQ(Parse({{"near", "0,0,12"}}).near->radius_km, 12);
}

TEST(SearchQueryTest, TextIsQuotedWordsAndRank) {
  SearchQuery q = Parse({{"text", "  sunset  \"beach\" x*y "}});
  EXPECT_EQ(q.fts_match, "\"sunset\" AND \"\"\"beach\"\"\" AND \"x*y\"");
  EXPECT_EQ(q.sort.field, SortField::kRank);
  EXPECT_EQ(Parse({{"text", "a"}, {"sort", "-size"}}).sort.field, SortField::kSize);
}

TEST(SearchQueryTest, SortForms) {
  EXPECT_EQ(Parse({{"sort", "size"}}).sort.Spec(), "size");
  Sort s = Parse({{"sort", "-last_modified"}}).sort;
  EXPECT_EQ(s.field, SortField::kLastModified);
  EXPECT_TRUE(s.descending);
  s = Parse({{"sort", "-exif.iso"}}).sort;
  EXPECT_EQ(s.field, SortField::kAttribute);
  EXPECT_EQ(s.attribute, "exif.iso");
  EXPECT_EQ(s.Spec(), "-exif.iso");
}

TEST(SearchQueryTest, ContinuationRoundTrip) {
  Sort sort;
  sort.field = SortField::kSize;
  for (const Continuation& c :
       {Continuation{int64_t{42}, 7}, Continuation{2.5, 8},
        Continuation{std::string("a/b\xc3\xa9"), 9}, Continuation{std::string("\xff\0x", 3), 10}}) {
    std::string token = EncodeContinuation(sort, c);
    EXPECT_EQ(token.find_first_of("+/="), std::string::npos) << token;
    auto back = DecodeContinuation(sort, token);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->value, c.value);
    EXPECT_EQ(back->id, c.id);
    SearchQuery q = Parse({{"sort", "size"}, {"continuation", token}});
    EXPECT_EQ(q.continuation->id, c.id);
  }
}

TEST(SearchQueryTest, TamperedContinuationIsRefused) {
  Sort sort;
  std::string token = EncodeContinuation(sort, {std::string("k"), 3});
  std::string edited = token;
  edited[2] = edited[2] == 'A' ? 'B' : 'A';
  EXPECT_NE(Refused({{"continuation", edited}}).find("continuation"), std::string::npos);
  EXPECT_NE(Refused({{"continuation", token + "A"}}).find("continuation"), std::string::npos);
  EXPECT_NE(Refused({{"continuation", "!!!"}}).find("continuation"), std::string::npos);
  EXPECT_NE(Refused({{"continuation", ""}}).find("continuation"), std::string::npos);
  // A real token of another sort.
  EXPECT_NE(Refused({{"sort", "size"}, {"continuation", token}}).find("another sort"),
            std::string::npos);
}

TEST(SearchQueryTest, BadInputsNameTheParameter) {
  struct Case {
    Params params;
    std::string starts;
  };
  const Case cases[] = {
      {{{"color", "red"}}, "color: unknown parameter"},
      {{{"", "x"}}, "(empty): unknown parameter"},
      {{{"bucket", "a"}, {"bucket", "b"}}, "bucket: given more than once"},
      {{{"bucket", ""}}, "bucket:"},
      {{{"type", ""}}, "type:"},
      {{{"where", "size"}}, "where: no operator"},
      {{{"where", "=5"}}, "where: empty name"},
      {{{"where", " \t<5"}}, "where: empty name"},
      {{{"where", "a==5"}}, "where: bad operator '=='"},
      {{{"where", "a=>5"}}, "where: bad operator '=>'"},
      {{{"where", "a<>5"}}, "where: bad operator '<>'"},
      {{{"where", "a!5"}}, "where: bad operator '!'"},
      {{{"where", "a=\"x"}}, "where: unterminated"},
      {{{"where", "a=\"x\"y"}}, "where: text after"},
      {{{"where", "size>big"}}, "where: size needs a number"},
      {{{"where", "size~1*"}}, "where: size takes no glob"},
      {{{"where", "last_modified>yesterday"}}, "where: last_modified needs a number"},
      {{{"where", "parts=1e999"}}, "where: parts needs a number"},
      {{{"min_size", "-1"}}, "min_size:"},
      {{{"max_size", "1.5"}}, "max_size:"},
      {{{"max_size", "99999999999999999999"}}, "max_size:"},
      {{{"modified_after", "2026-02-30"}}, "modified_after:"},
      {{{"modified_after", "2026-01-01T10:00:00"}}, "modified_after:"},
      {{{"modified_before", "2026-01-01T25:00:00Z"}}, "modified_before:"},
      {{{"near", "1,2"}}, "near:"},
      {{{"near", "1,2,3,4"}}, "near:"},
      {{{"near", "91,2,3"}}, "near: latitude"},
      {{{"near", "1,-181,3"}}, "near: longitude"},
      {{{"near", "1,2,0"}}, "near: radius"},
      {{{"near", "1,2,5mi"}}, "near: radius"},
      {{{"near", "nan,2,5"}}, "near: latitude"},
      {{{"text", "   "}}, "text: no words"},
      {{{"text", std::string(2000, 'a')}}, "text: longer"},
      {{{"sort", "rank"}}, "sort: rank needs a text query"},
      {{{"sort", "etag"}}, "sort: cannot sort by etag"},
      {{{"sort", "-"}}, "sort: empty"},
      {{{"limit", "0"}}, "limit:"},
      {{{"limit", "1001"}}, "limit:"},
      {{{"limit", "ten"}}, "limit:"},
      {{{"continuation", "abc"}}, "continuation:"},
  };
  for (const Case& c : cases) {
    std::string message = Refused(c.params);
    EXPECT_EQ(message.rfind(c.starts, 0), 0u) << message << " (wanted " << c.starts << ")";
  }
}

// The writer's parser (attributes.h), as the query side relies on it.
TEST(SearchQueryTest, Rfc3339) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01"), 0);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:01Z"), 1);
  EXPECT_EQ(*ParseRfc3339("1970-01-01t00:00:01z"), 1);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:00:00-01:00"), 0);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2000-02-29T00:00:00.25Z"), 951782400.25);
  EXPECT_FALSE(ParseRfc3339("2001-02-29"));
  EXPECT_FALSE(ParseRfc3339("2001-13-01"));
  EXPECT_FALSE(ParseRfc3339("2001-1-01"));
  EXPECT_FALSE(ParseRfc3339("2001-01-01T00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2001-01-01T00:00:00.Z"));
  EXPECT_FALSE(ParseRfc3339("2001-01-01T00:00:00+0100"));
  EXPECT_FALSE(ParseRfc3339("2001-01-01x"));
}

}  // namespace
}  // namespace kumo::catalog
