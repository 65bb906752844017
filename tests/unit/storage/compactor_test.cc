// Compaction: live data survives byte-exact, dead bytes and segments go away, readers
// opened before compaction keep reading, and an overwrite racing compaction wins.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::Bytes;
using testing::CountFiles;
using testing::Get;
using testing::MakeBucket;
using testing::OpenStore;
using testing::Put;
using testing::ReadAll;
using testing::TempDir;
using testing::TestOptions;

std::string Key(int i) { return testing::Numbered("obj-", i); }

TEST(CompactorTest, ReclaimsDeadBytesAndKeepsLiveData) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  constexpr int kObjects = 300;
  for (int i = 0; i < kObjects; ++i)
    ASSERT_TRUE(Put(store.get(), "b", Key(i), Bytes(1000, i)).ok());
  // Open readers before anything changes: one on an object that survives, one on an
  // object about to be deleted.
  auto keep_reader = store->OpenObject("b", Key(3));
  auto gone_reader = store->OpenObject("b", Key(4));
  ASSERT_TRUE(keep_reader.ok() && gone_reader.ok());
  // Delete three of every four objects, overwriting some of them.
  for (int i = 0; i < kObjects; ++i) {
    if (i % 4 == 3) continue;
    if (i % 8 == 0) {
      ASSERT_TRUE(Put(store.get(), "b", Key(i), Bytes(500, i + 1000)).ok());
    } else {
      ASSERT_TRUE(store->DeleteObject("b", Key(i)).ok());
    }
  }
  StoreStats before = store->Stats();
  size_t files_before = CountFiles(dir.path() + "/blobs", "seg-");
  ASSERT_GT(before.dead_bytes, 0u);
  ASSERT_GT(before.segments, 3u);

  Status st = store->CompactNow();
  ASSERT_TRUE(st.ok()) << st.ToString();

  StoreStats after = store->Stats();
  EXPECT_LT(after.dead_bytes, before.dead_bytes / 4);
  EXPECT_LT(after.segments, before.segments);
  EXPECT_LT(CountFiles(dir.path() + "/blobs", "seg-"), files_before);
  EXPECT_EQ(after.objects, before.objects);
  EXPECT_EQ(after.live_bytes, before.live_bytes);
  for (int i = 0; i < kObjects; ++i) {
    if (i % 4 == 3) {
      ASSERT_EQ(Get(store.get(), "b", Key(i)), Bytes(1000, i)) << i;
    } else if (i % 8 == 0) {
      ASSERT_EQ(Get(store.get(), "b", Key(i)), Bytes(500, i + 1000)) << i;
    } else {
      ASSERT_TRUE(store->HeadObject("b", Key(i)).status().Is(ErrorCode::kNoSuchKey));
    }
  }
  EXPECT_EQ(ReadAll(keep_reader->get()), Bytes(1000, 3));
  EXPECT_EQ(ReadAll(gone_reader->get()), Bytes(1000, 4));

  // Compacting again finds nothing to do; reopening sees the same state.
  ASSERT_TRUE(store->CompactNow().ok());
  store.reset();
  store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(store->Stats().objects, after.objects);
  for (int i = 3; i < kObjects; i += 4) ASSERT_EQ(Get(store.get(), "b", Key(i)), Bytes(1000, i));
}

TEST(CompactorTest, FullyDeadSegmentsAreRemoved) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(Put(store.get(), "b", Key(i), Bytes(1000, i)).ok());
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(store->DeleteObject("b", Key(i)).ok());
  ASSERT_TRUE(store->CompactNow().ok());
  StoreStats s = store->Stats();
  EXPECT_EQ(s.objects, 0u);
  EXPECT_LE(s.segments, 1u);  // only the open one may remain
  EXPECT_LE(CountFiles(dir.path() + "/blobs", "seg-"), 1u);
}

TEST(CompactorTest, ConcurrentOverwritesDuringCompaction) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  o.compaction_interval_ms = 5;  // the background thread races the writers
  auto store = OpenStore(o);
  MakeBucket(store.get(), "b");
  constexpr int kKeys = 100;
  std::vector<std::atomic<int>> version(kKeys);
  for (int i = 0; i < kKeys; ++i) ASSERT_TRUE(Put(store.get(), "b", Key(i), Bytes(900, i)).ok());
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int n = 0; n < 300; ++n) {
        int i = (n * 7 + t) % kKeys;
        if (i % 4 != t) continue;  // each key has one writer, so the last version is known
        int v = version[i].load() + 1;
        EXPECT_TRUE(Put(store.get(), "b", Key(i), Bytes(900, i + 1000 * v)).ok());
        version[i].store(v);
      }
    });
  }
  std::thread compactor([&] {
    for (int n = 0; n < 20; ++n) EXPECT_TRUE(store->CompactNow().ok());
  });
  for (auto& th : writers) th.join();
  compactor.join();
  ASSERT_TRUE(store->CompactNow().ok());
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_EQ(Get(store.get(), "b", Key(i)), Bytes(900, i + 1000 * version[i].load())) << i;
  }
  EXPECT_EQ(store->Stats().objects, static_cast<uint64_t>(kKeys));
}

}  // namespace
}  // namespace kumo::storage
