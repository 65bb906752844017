// ListObjects: prefix, delimiter roll-up, start_after, max_keys and pagination.
#include <gtest/gtest.h>

#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::MakeBucket;
using testing::OpenStore;
using testing::Put;
using testing::TempDir;
using testing::TestOptions;

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(TestOptions(dir_.path()));
    MakeBucket(store_.get(), "a");
    MakeBucket(store_.get(), "ab");
    for (const char* k : {"a.txt", "photos/2020/a.jpg", "photos/2020/b.jpg", "photos/2021/c.jpg",
                          "photos/x.jpg", "photos0", "z", "\x01", "\xff", "\xc3\xa9t\xc3\xa9"}) {
      ASSERT_TRUE(Put(store_.get(), "a", k, "data").ok());
    }
    ASSERT_TRUE(Put(store_.get(), "ab", "a.txt", "other bucket").ok());
  }

  ListResult List(const std::string& prefix, const std::string& delimiter,
                  const std::string& start_after = "", size_t max_keys = 1000) {
    ListOptions o;
    o.prefix = prefix;
    o.delimiter = delimiter;
    o.start_after = start_after;
    o.max_keys = max_keys;
    auto r = store_->ListObjects("a", o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ListResult{};
  }

  static std::vector<std::string> Keys(const ListResult& r) {
    std::vector<std::string> out;
    for (const auto& e : r.objects) out.push_back(e.key);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<StoreImpl> store_;
};

TEST_F(ListingTest, AllKeysInUnsignedByteOrder) {
  ListResult r = List("", "");
  EXPECT_EQ(Keys(r),
            (std::vector<std::string>{"\x01", "a.txt", "photos/2020/a.jpg", "photos/2020/b.jpg",
                                      "photos/2021/c.jpg", "photos/x.jpg", "photos0", "z",
                                      "\xc3\xa9t\xc3\xa9", "\xff"}));
  EXPECT_TRUE(r.common_prefixes.empty());
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.objects[1].meta.size, 4u);
  EXPECT_EQ(r.objects[1].meta.etag, "etag-a.txt");
  EXPECT_TRUE(r.objects[1].meta.extents.empty());
}

TEST_F(ListingTest, PrefixAndDelimiter) {
  ListResult r = List("", "/");
  EXPECT_EQ(Keys(r), (std::vector<std::string>{"\x01", "a.txt", "photos0", "z", "\xc3\xa9t\xc3\xa9",
                                               "\xff"}));
  EXPECT_EQ(r.common_prefixes, (std::vector<std::string>{"photos/"}));

  r = List("photos/", "/");
  EXPECT_EQ(Keys(r), (std::vector<std::string>{"photos/x.jpg"}));
  EXPECT_EQ(r.common_prefixes, (std::vector<std::string>{"photos/2020/", "photos/2021/"}));

  r = List("photos", "");
  EXPECT_EQ(r.objects.size(), 5u);
  r = List("nothing", "/");
  EXPECT_TRUE(r.objects.empty() && r.common_prefixes.empty() && !r.truncated);
  // A multi-character delimiter.
  r = List("", "os/");
  EXPECT_EQ(r.common_prefixes, (std::vector<std::string>{"photos/"}));
}

TEST_F(ListingTest, StartAfterIsExclusive) {
  EXPECT_EQ(Keys(List("", "", "photos0")),
            (std::vector<std::string>{"z", "\xc3\xa9t\xc3\xa9", "\xff"}));
  EXPECT_EQ(Keys(List("", "", "photos/2020/b.jpg")).front(), "photos/2021/c.jpg");
  // A common prefix equal to start_after is not returned again, nor any key under it.
  ListResult r = List("", "/", "photos/");
  EXPECT_TRUE(r.common_prefixes.empty());
  EXPECT_EQ(Keys(r).front(), "photos0");
  // start_after before the prefix range, and after it.
  EXPECT_EQ(List("photos/", "/", "a").common_prefixes.size(), 2u);
  EXPECT_TRUE(List("photos/", "", "q").objects.empty());
}

TEST_F(ListingTest, MaxKeysCountsPrefixesAndPaginates) {
  ListResult r = List("", "/", "", 3);
  EXPECT_EQ(Keys(r), (std::vector<std::string>{"\x01", "a.txt"}));
  EXPECT_EQ(r.common_prefixes, (std::vector<std::string>{"photos/"}));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.last_returned, "photos/");

  // Page through with max_keys 1 and collect everything.
  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 20; ++page) {
    r = List("", "/", after, 1);
    for (const auto& k : Keys(r)) seen.push_back(k);
    for (const auto& p : r.common_prefixes) seen.push_back(p);
    if (!r.truncated) break;
    after = r.last_returned;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"\x01", "a.txt", "photos/", "photos0", "z",
                                            "\xc3\xa9t\xc3\xa9", "\xff"}));
  // Exactly max_keys left: not truncated.
  r = List("photos/", "/", "", 3);
  EXPECT_FALSE(r.truncated);
  EXPECT_TRUE(List("", "", "", 0).objects.empty());
}

TEST_F(ListingTest, WithoutMetaAndOtherBucket) {
  ListOptions o;
  o.with_meta = false;
  auto r = store_->ListObjects("ab", o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0].key, "a.txt");
  EXPECT_TRUE(store_->ListObjects("missing", o).status().Is(ErrorCode::kNoSuchBucket));
}

}  // namespace
}  // namespace kumo::storage
