#include "s3/object_headers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kumo::s3 {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

HttpRequest Put(StringPairs headers) {
  HttpRequest r;
  r.method = "PUT";
  r.raw_path = r.target = "/bucket/key";
  r.headers = std::move(headers);
  return r;
}

// All values of the header spelled exactly `name` (case-sensitive on purpose: the
// canonical spelling is part of the contract).
std::vector<std::string> Values(const Response& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.headers) {
    if (n == name) out.push_back(v);
  }
  return out;
}

std::string Only(const Response& r, std::string_view name) {
  auto v = Values(r, name);
  EXPECT_EQ(v.size(), 1u) << name;
  return v.empty() ? std::string() : v.front();
}

TEST(AttributesFromRequestTest, DefaultContentType) {
  storage::ObjectMeta meta;
  ASSERT_TRUE(AttributesFromRequest(Put({{"content-length", "3"}}), &meta).ok());
  EXPECT_EQ(meta.content_type, "binary/octet-stream");
  EXPECT_TRUE(meta.system_headers.empty());
  EXPECT_TRUE(meta.user_meta.empty());
}

TEST(AttributesFromRequestTest, KeepsGivenContentType) {
  storage::ObjectMeta meta;
  ASSERT_TRUE(
      AttributesFromRequest(Put({{"content-type", "text/plain; charset=utf-8"}}), &meta).ok());
  EXPECT_EQ(meta.content_type, "text/plain; charset=utf-8");
}

TEST(AttributesFromRequestTest, StoresSystemHeadersOnly) {
  storage::ObjectMeta meta;
  HttpRequest req = Put({{"host", "localhost:9000"},
                         {"content-type", "image/png"},
                         {"content-length", "10"},
                         {"content-md5", "XrY7u+Ae7tCTyyK7j1rNww=="},
                         {"authorization", "AWS4-HMAC-SHA256 Credential=..."},
                         {"x-amz-date", "20240101T000000Z"},
                         {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                         {"content-encoding", "gzip"},
                         {"content-disposition", "attachment; filename=\"a.png\""},
                         {"content-language", "en"},
                         {"cache-control", "max-age=60"},
                         {"expires", "Thu, 01 Dec 2094 16:00:00 GMT"}});
  ASSERT_TRUE(AttributesFromRequest(req, &meta).ok());
  EXPECT_EQ(meta.content_type, "image/png");
  EXPECT_EQ(meta.system_headers, (Pairs{{"content-encoding", "gzip"},
                                        {"content-disposition", "attachment; filename=\"a.png\""},
                                        {"content-language", "en"},
                                        {"cache-control", "max-age=60"},
                                        {"expires", "Thu, 01 Dec 2094 16:00:00 GMT"}}));
  EXPECT_TRUE(meta.user_meta.empty());
}

TEST(AttributesFromRequestTest, UserMetadataWithoutPrefix) {
  storage::ObjectMeta meta;
  HttpRequest req = Put({{"x-amz-meta-color", "red"},
                         {"x-amz-meta-my-long-name", "v a l u e"},
                         {"x-amz-metadata-directive", "REPLACE"},
                         {"x-amz-meta-empty", ""}});
  ASSERT_TRUE(AttributesFromRequest(req, &meta).ok());
  EXPECT_EQ(meta.user_meta,
            (Pairs{{"color", "red"}, {"my-long-name", "v a l u e"}, {"empty", ""}}));
  EXPECT_TRUE(meta.system_headers.empty());
}

TEST(AttributesFromRequestTest, ReplacesPreviousAttributes) {
  storage::ObjectMeta meta;
  meta.content_type = "old/type";
  meta.system_headers = {{"cache-control", "old"}};
  meta.user_meta = {{"old", "value"}};
  ASSERT_TRUE(AttributesFromRequest(Put({{"x-amz-meta-new", "1"}}), &meta).ok());
  EXPECT_EQ(meta.content_type, "binary/octet-stream");
  EXPECT_TRUE(meta.system_headers.empty());
  EXPECT_EQ(meta.user_meta, (Pairs{{"new", "1"}}));
}

TEST(AttributesFromRequestTest, UserMetadataLimitIs2KB) {
  // Names count without the x-amz-meta- prefix: "k" + 2047 bytes = 2048 is allowed.
  storage::ObjectMeta meta;
  EXPECT_TRUE(AttributesFromRequest(Put({{"x-amz-meta-k", std::string(2047, 'v')}}), &meta).ok());
  Status s = AttributesFromRequest(Put({{"x-amz-meta-k", std::string(2048, 'v')}}), &meta);
  EXPECT_TRUE(s.Is(ErrorCode::kMetadataTooLarge)) << s.ToString();
}

TEST(AttributesFromRequestTest, UserMetadataLimitCountsAllEntries) {
  storage::ObjectMeta meta;
  StringPairs under, over;
  for (int i = 0; i < 8; ++i) {
    // "n<i>" (2 bytes) + 254 bytes = 256 per entry; 8 entries = 2048.
    under.emplace_back("x-amz-meta-n" + std::to_string(i), std::string(254, 'v'));
    over.emplace_back("x-amz-meta-n" + std::to_string(i), std::string(254, 'v'));
  }
  over.emplace_back("x-amz-meta-x", "");  // one more byte
  EXPECT_TRUE(AttributesFromRequest(Put(under), &meta).ok());
  Status s = AttributesFromRequest(Put(over), &meta);
  EXPECT_TRUE(s.Is(ErrorCode::kMetadataTooLarge)) << s.ToString();
  // System headers do not count towards the user metadata limit.
  under.emplace_back("cache-control", std::string(4000, 'c'));
  EXPECT_TRUE(AttributesFromRequest(Put(under), &meta).ok());
}

storage::ObjectMeta SampleMeta() {
  storage::ObjectMeta meta;
  meta.size = 11;
  meta.etag = "5eb63bbbe01eeed093cb22bb8f5acdc3";
  meta.mtime_ms = 784111777999;  // Sun, 06 Nov 1994 08:49:37.999 GMT
  meta.content_type = "text/plain";
  meta.system_headers = {{"content-encoding", "gzip"},
                         {"content-disposition", "inline"},
                         {"content-language", "de"},
                         {"cache-control", "no-cache"},
                         {"expires", "Thu, 01 Dec 2094 16:00:00 GMT"}};
  meta.user_meta = {{"color", "red"}, {"my-name", "x"}};
  meta.checksums = {{"crc32", "DUoRhQ=="}};
  return meta;
}

TEST(AddObjectHeadersTest, EtagQuotedAndLastModifiedRfc1123) {
  Response r;
  AddObjectHeaders(SampleMeta(), /*with_checksums=*/false, &r);
  EXPECT_EQ(Only(r, "ETag"), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
  // Milliseconds are truncated, not rounded.
  EXPECT_EQ(Only(r, "Last-Modified"), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(Only(r, "Content-Type"), "text/plain");
  EXPECT_EQ(Only(r, "Accept-Ranges"), "bytes");
}

TEST(AddObjectHeadersTest, CanonicalSystemHeaderSpellings) {
  Response r;
  AddObjectHeaders(SampleMeta(), false, &r);
  EXPECT_EQ(Only(r, "Content-Encoding"), "gzip");
  EXPECT_EQ(Only(r, "Content-Disposition"), "inline");
  EXPECT_EQ(Only(r, "Content-Language"), "de");
  EXPECT_EQ(Only(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(Only(r, "Expires"), "Thu, 01 Dec 2094 16:00:00 GMT");
  for (std::string_view lower :
       {"content-encoding", "content-disposition", "content-language", "cache-control", "expires",
        "etag", "last-modified", "content-type"}) {
    EXPECT_TRUE(Values(r, lower).empty()) << lower << " emitted in lower case";
  }
}

TEST(AddObjectHeadersTest, UserMetadataGetsPrefixBack) {
  Response r;
  AddObjectHeaders(SampleMeta(), false, &r);
  EXPECT_EQ(Only(r, "x-amz-meta-color"), "red");
  EXPECT_EQ(Only(r, "x-amz-meta-my-name"), "x");
  EXPECT_TRUE(Values(r, "color").empty());
}

TEST(AddObjectHeadersTest, ChecksumsOnlyWhenAsked) {
  Response without;
  AddObjectHeaders(SampleMeta(), false, &without);
  EXPECT_TRUE(Values(without, "x-amz-checksum-crc32").empty());
  Response with;
  AddObjectHeaders(SampleMeta(), true, &with);
  EXPECT_EQ(Only(with, "x-amz-checksum-crc32"), "DUoRhQ==");
  EXPECT_EQ(Only(with, "x-amz-checksum-type"), "FULL_OBJECT");
  // Nothing else changes.
  EXPECT_EQ(with.headers.size(), without.headers.size() + 2);
  EXPECT_TRUE(Values(without, "x-amz-checksum-type").empty());
}

TEST(AddObjectHeadersTest, TaggingCountOnlyWhenTagged) {
  Response untagged;
  AddObjectHeaders(SampleMeta(), false, &untagged);
  EXPECT_TRUE(Values(untagged, "x-amz-tagging-count").empty());
  storage::ObjectMeta meta = SampleMeta();
  meta.tags = {{"a", "1"}, {"b", "2"}};
  Response tagged;
  AddObjectHeaders(meta, false, &tagged);
  EXPECT_EQ(Only(tagged, "x-amz-tagging-count"), "2");
}

TEST(AddObjectHeadersTest, MultipartChecksumIsComposite) {
  storage::ObjectMeta meta = SampleMeta();
  meta.checksums = {{"sha256", "Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2"}};
  Response r;
  AddObjectHeaders(meta, true, &r);
  EXPECT_EQ(Only(r, "x-amz-checksum-sha256"), "Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2");
  EXPECT_EQ(Only(r, "x-amz-checksum-type"), "COMPOSITE");
}

TEST(AddObjectHeadersTest, RoundTripFromRequest) {
  storage::ObjectMeta meta;
  ASSERT_TRUE(AttributesFromRequest(Put({{"content-type", "application/json"},
                                         {"cache-control", "max-age=5"},
                                         {"x-amz-meta-owner", "alice"}}),
                                    &meta)
                  .ok());
  meta.etag = "abc";
  meta.mtime_ms = 0;
  Response r;
  AddObjectHeaders(meta, false, &r);
  EXPECT_EQ(Only(r, "Content-Type"), "application/json");
  EXPECT_EQ(Only(r, "Cache-Control"), "max-age=5");
  EXPECT_EQ(Only(r, "x-amz-meta-owner"), "alice");
  EXPECT_EQ(Only(r, "ETag"), "\"abc\"");
  EXPECT_EQ(Only(r, "Last-Modified"), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(QuotedEtagTest, AddsQuotes) {
  EXPECT_EQ(QuotedEtag("abc"), "\"abc\"");
  EXPECT_EQ(QuotedEtag("abc-3"), "\"abc-3\"");
  EXPECT_EQ(QuotedEtag(""), "\"\"");
}

}  // namespace
}  // namespace kumo::s3
