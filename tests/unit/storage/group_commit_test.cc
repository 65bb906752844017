// Concurrent writers: group commit batches them, every acknowledged object reads back
// byte-exact, and the segment accounting stays exact under same-key races.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "storage/key_codec.h"
#include "storage/segment_format.h"
#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::Bytes;
using testing::Get;
using testing::MakeBucket;
using testing::Numbered;
using testing::OpenStore;
using testing::Put;
using testing::TempDir;
using testing::TestOptions;

std::string ThreadKey(int t, int i) {
  std::string s = Numbered("t", t);
  s += '/';
  s += std::to_string(i);
  return s;
}

// Every byte of every segment file is either a live record or counted as dead.
void ExpectExactAccounting(StoreImpl* store, const std::string& dir) {
  uint64_t file_bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/blobs")) {
    if (e.path().filename().string().rfind("seg-", 0) == 0) file_bytes += e.file_size();
  }
  uint64_t live_records = 0;
  auto buckets = store->ListBuckets();
  ASSERT_TRUE(buckets.ok());
  for (const BucketInfo& b : *buckets) {
    ListOptions o;
    o.max_keys = 1000000;
    auto list = store->ListObjects(b.name, o);
    ASSERT_TRUE(list.ok());
    for (const auto& obj : list->objects) {
      auto head = store->HeadObject(b.name, obj.key);
      ASSERT_TRUE(head.ok());
      for (const Extent& e : head->extents) {
        if (e.packed) live_records += RecordSize(EncodeObjectKey(b.name, obj.key).size(), e.length);
      }
    }
  }
  EXPECT_EQ(file_bytes, live_records + store->Stats().dead_bytes);
}

TEST(GroupCommitTest, ConcurrentWritersAreBatchedAndCorrect) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  constexpr int kThreads = 16;
  constexpr int kPerThread = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string key = ThreadKey(t, i);
        // Mostly small objects, some large ones interleaved.
        size_t size = (i % 10 == 9) ? 5000 + i : 1 + (i * 37) % 3000;
        if (!Put(store.get(), "b", key, Bytes(size, t * 1000 + i)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string key = ThreadKey(t, i);
      size_t size = (i % 10 == 9) ? 5000 + i : 1 + (i * 37) % 3000;
      ASSERT_EQ(Get(store.get(), "b", key), Bytes(size, t * 1000 + i)) << key;
    }
  }
  const uint64_t small_commits = kThreads * kPerThread * 9 / 10;
  // 16 writers share fdatasyncs: far fewer batches than commits.
  EXPECT_LT(store->group_commit_batches(), small_commits / 2);
  EXPECT_EQ(store->Stats().objects, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_GT(store->Stats().segments, 1u);  // 64 KiB segments rolled over
  ExpectExactAccounting(store.get(), dir.path());
}

TEST(GroupCommitTest, SameKeyRacesAccountEachRecordOnce) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string key = Numbered("k", i % 5);
        if ((t + i) % 7 == 0) {
          EXPECT_TRUE(store->DeleteObject("b", key).ok());
        } else {
          size_t size = ((t + i) % 6 == 0) ? 6000 : 100 + t;
          EXPECT_TRUE(Put(store.get(), "b", key, Bytes(size, t)).ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ExpectExactAccounting(store.get(), dir.path());
  // Whatever won, each surviving object is one writer's complete bytes.
  for (int k = 0; k < 5; ++k) {
    auto head = store->HeadObject("b", Numbered("k", k));
    if (!head.ok()) continue;
    std::string data = Get(store.get(), "b", Numbered("k", k));
    bool matches = false;
    for (int t = 0; t < 8; ++t) matches |= (data == Bytes(head->size, t));
    EXPECT_TRUE(matches);
  }
  ASSERT_TRUE(store->CompactNow().ok());
  ExpectExactAccounting(store.get(), dir.path());
}

}  // namespace
}  // namespace kumo::storage
