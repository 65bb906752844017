// Store basics: buckets, object put/get/head/delete on both the packed and the extent
// path, overwrite accounting, users.
#include <gtest/gtest.h>

#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::Bytes;
using testing::CountFiles;
using testing::Get;
using testing::MakeBucket;
using testing::OpenStore;
using testing::Put;
using testing::TempDir;
using testing::TestOptions;

TEST(StoreTest, Buckets) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b2");
  MakeBucket(store.get(), "b1");
  BucketInfo again{"b1", 0, "owner", ""};
  EXPECT_TRUE(store->CreateBucket(again).Is(ErrorCode::kBucketAlreadyOwnedByYou));
  again.owner = "someone-else";
  EXPECT_TRUE(store->CreateBucket(again).Is(ErrorCode::kBucketAlreadyExists));
  auto list = store->ListBuckets();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "b1");
  EXPECT_EQ(store->GetBucket("b2")->owner, "owner");
  EXPECT_TRUE(store->GetBucket("nope").status().Is(ErrorCode::kNoSuchBucket));
  EXPECT_TRUE(store->DeleteBucket("b2").ok());
  EXPECT_TRUE(store->DeleteBucket("b2").Is(ErrorCode::kNoSuchBucket));
  EXPECT_TRUE(store->NewObjectWriter("b2", "k", 1).status().Is(ErrorCode::kNoSuchBucket));
}

TEST(StoreTest, DeleteBucketFailsWhenNotEmpty) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "a");
  MakeBucket(store.get(), "ab");
  ASSERT_TRUE(Put(store.get(), "ab", "k", "x").ok());
  // "a" is empty even though "ab" (whose keys share its name as a prefix) is not.
  ASSERT_TRUE(Put(store.get(), "a", "k", "x").ok());
  EXPECT_TRUE(store->DeleteBucket("a").Is(ErrorCode::kBucketNotEmpty));
  ASSERT_TRUE(store->DeleteObject("a", "k").ok());
  EXPECT_TRUE(store->DeleteBucket("a").ok());
  EXPECT_TRUE(store->DeleteBucket("ab").Is(ErrorCode::kBucketNotEmpty));
  EXPECT_EQ(Get(store.get(), "ab", "k"), "x");
}

TEST(StoreTest, PutGetHeadDeleteSmallAndLarge) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  auto store = OpenStore(o);
  MakeBucket(store.get(), "b");
  const std::string small = Bytes(1000, 1);
  const std::string large = Bytes(3 * 1024 * 1024 + 17, 2);  // crosses the write buffer
  const std::string unknown_small = Bytes(100, 3);
  const std::string unknown_large = Bytes(10000, 4);
  ASSERT_TRUE(Put(store.get(), "b", "small", small).ok());
  auto lm = Put(store.get(), "b", "large", large, -2, 100000);
  ASSERT_TRUE(lm.ok()) << lm.status().ToString();
  ASSERT_TRUE(Put(store.get(), "b", "unknown-small", unknown_small, -1).ok());
  ASSERT_TRUE(Put(store.get(), "b", "unknown-large", unknown_large, -1).ok());
  ASSERT_TRUE(Put(store.get(), "b", "empty", "").ok());

  EXPECT_EQ(Get(store.get(), "b", "small"), small);
  EXPECT_EQ(Get(store.get(), "b", "large"), large);
  EXPECT_EQ(Get(store.get(), "b", "unknown-small"), unknown_small);
  EXPECT_EQ(Get(store.get(), "b", "unknown-large"), unknown_large);
  EXPECT_EQ(Get(store.get(), "b", "empty"), "");

  auto head = store->HeadObject("b", "small");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, small.size());
  EXPECT_EQ(head->etag, "etag-small");
  EXPECT_EQ(head->user_meta.at(0).second, "v");
  ASSERT_EQ(head->extents.size(), 1u);
  EXPECT_TRUE(head->extents[0].packed);
  EXPECT_FALSE(lm->extents.at(0).packed);
  EXPECT_FALSE(store->HeadObject("b", "unknown-large")->extents.at(0).packed);
  EXPECT_TRUE(store->HeadObject("b", "unknown-small")->extents.at(0).packed);
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 2u);

  // Partial reads, across the end.
  auto r = store->OpenObject("b", "large");
  ASSERT_TRUE(r.ok());
  char buf[100];
  auto n = (*r)->ReadAt(large.size() - 10, buf, sizeof(buf));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 10u);
  EXPECT_EQ(std::string(buf, 10), large.substr(large.size() - 10));
  EXPECT_EQ(*(*r)->ReadAt(large.size(), buf, sizeof(buf)), 0u);

  auto stats = store->Stats();
  EXPECT_EQ(stats.objects, 5u);
  EXPECT_EQ(stats.live_bytes,
            small.size() + large.size() + unknown_small.size() + unknown_large.size());

  EXPECT_TRUE(store->DeleteObject("b", "large").ok());
  EXPECT_TRUE(store->DeleteObject("b", "large").ok());  // absent is fine
  EXPECT_TRUE(store->HeadObject("b", "large").status().Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(store->OpenObject("b", "large").status().Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(store->DeleteObject("nope", "x").Is(ErrorCode::kNoSuchBucket));
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);
  EXPECT_EQ(store->Stats().objects, 4u);
}

TEST(StoreTest, OverwriteAndDeleteFreeSpace) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  ASSERT_TRUE(Put(store.get(), "b", "k", Bytes(1000, 1)).ok());
  EXPECT_EQ(store->Stats().dead_bytes, 0u);
  ASSERT_TRUE(Put(store.get(), "b", "k", Bytes(2000, 2)).ok());
  auto stats = store->Stats();
  EXPECT_GT(stats.dead_bytes, 1000u);  // the old record, header and key included
  EXPECT_EQ(stats.objects, 1u);
  EXPECT_EQ(stats.live_bytes, 2000u);
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(2000, 2));

  // Large over large: the old extent file is unlinked.
  ASSERT_TRUE(Put(store.get(), "b", "big", Bytes(50000, 3)).ok());
  ASSERT_TRUE(Put(store.get(), "b", "big", Bytes(60000, 4)).ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);
  // Small over large and large over small.
  ASSERT_TRUE(Put(store.get(), "b", "big", Bytes(10, 5)).ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  ASSERT_TRUE(Put(store.get(), "b", "k", Bytes(9000, 6)).ok());
  EXPECT_GT(store->Stats().dead_bytes, 3000u);
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(9000, 6));
  EXPECT_EQ(Get(store.get(), "b", "big"), Bytes(10, 5));
  stats = store->Stats();
  EXPECT_EQ(stats.objects, 2u);
  EXPECT_EQ(stats.live_bytes, 9010u);
}

TEST(StoreTest, ReaderSurvivesOverwriteAndDelete) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  ASSERT_TRUE(Put(store.get(), "b", "big", Bytes(100000, 1)).ok());
  ASSERT_TRUE(Put(store.get(), "b", "small", Bytes(100, 2)).ok());
  auto big = store->OpenObject("b", "big");
  auto small = store->OpenObject("b", "small");
  ASSERT_TRUE(big.ok() && small.ok());
  ASSERT_TRUE(Put(store.get(), "b", "big", Bytes(100000, 3)).ok());
  ASSERT_TRUE(store->DeleteObject("b", "small").ok());
  EXPECT_EQ(testing::ReadAll(big->get()), Bytes(100000, 1));
  EXPECT_EQ(testing::ReadAll(small->get()), Bytes(100, 2));
  EXPECT_EQ(Get(store.get(), "b", "big"), Bytes(100000, 3));
}

TEST(StoreTest, WriterWithoutCommitLeavesNothing) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  {
    auto w = store->NewObjectWriter("b", "k", -1);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(Bytes(20000, 1)).ok());
    EXPECT_EQ((*w)->bytes_written(), 20000u);
    EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);
  }
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  EXPECT_TRUE(store->HeadObject("b", "k").status().Is(ErrorCode::kNoSuchKey));
  auto w = store->NewObjectWriter("b", "k", 3);
  ASSERT_TRUE((*w)->Append("abc").ok());
  ASSERT_TRUE((*w)->Commit({}).ok());
  EXPECT_FALSE((*w)->Commit({}).ok());
  EXPECT_FALSE((*w)->Append("more").ok());
}

TEST(StoreTest, CommitIntoDeletedBucketFails) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto small = store->NewObjectWriter("b", "s", 3);
  auto large = store->NewObjectWriter("b", "l", 10000);
  ASSERT_TRUE(small.ok() && large.ok());
  ASSERT_TRUE((*small)->Append("abc").ok());
  ASSERT_TRUE((*large)->Append(Bytes(10000, 1)).ok());
  ASSERT_TRUE(store->DeleteBucket("b").ok());
  EXPECT_TRUE((*small)->Commit({}).status().Is(ErrorCode::kNoSuchBucket));
  EXPECT_TRUE((*large)->Commit({}).status().Is(ErrorCode::kNoSuchBucket));
  large->reset();
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  EXPECT_EQ(store->Stats().objects, 0u);
}

TEST(StoreTest, Users) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_TRUE(store->GetUser("AK1").status().Is(ErrorCode::kInvalidAccessKeyId));
  ASSERT_TRUE(store->PutUser({"AK2", "secret2", 2, ""}).ok());
  ASSERT_TRUE(store->PutUser({"AK1", "secret1", 1, ""}).ok());
  ASSERT_TRUE(store->PutUser({"AK1", "secret1b", 3, ""}).ok());
  auto u = store->GetUser("AK1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->secret_key, "secret1b");
  EXPECT_EQ(u->created_ms, 3);
  auto all = store->ListUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].access_key, "AK1");
  EXPECT_TRUE(store->DeleteUser("AK1").ok());
  EXPECT_TRUE(store->DeleteUser("AK1").Is(ErrorCode::kInvalidAccessKeyId));
  EXPECT_EQ(store->ListUsers()->size(), 1u);
}

}  // namespace
}  // namespace kumo::storage
