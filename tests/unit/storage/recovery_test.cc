// Recovery: reopen after a clean close, leftovers of a crash become garbage, and a real
// kill -9 in the middle of concurrent writes loses no acknowledged object.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "storage/blob_file.h"
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

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  f << data;
}

TEST(RecoveryTest, ReopenAfterClose) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  {
    auto store = OpenStore(o);
    MakeBucket(store.get(), "b");
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(Put(store.get(), "b", testing::Numbered("k", i), Bytes(i * 300, i)).ok());
    }
    ASSERT_TRUE(store->DeleteObject("b", "k7").ok());
    ASSERT_TRUE(store->PutUser({"AK", "SK", 1, ""}).ok());
  }
  auto store = OpenStore(o);
  ASSERT_TRUE(store->GetBucket("b").ok());
  EXPECT_EQ(store->GetUser("AK")->secret_key, "SK");
  EXPECT_EQ(store->Stats().objects, 49u);
  for (int i = 0; i < 50; ++i) {
    if (i == 7) continue;
    ASSERT_EQ(Get(store.get(), "b", testing::Numbered("k", i)), Bytes(i * 300, i)) << i;
  }
  EXPECT_TRUE(store->HeadObject("b", "k7").status().Is(ErrorCode::kNoSuchKey));
  // New writes go to new files; old data is still there after another reopen.
  ASSERT_TRUE(Put(store.get(), "b", "new", "after restart").ok());
  store.reset();
  store = OpenStore(o);
  EXPECT_EQ(Get(store.get(), "b", "new"), "after restart");
  EXPECT_EQ(Get(store.get(), "b", "k49"), Bytes(49 * 300, 49));
}

TEST(RecoveryTest, UnreferencedFilesAreGarbage) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  const std::string blobs = dir.path() + "/blobs";
  {
    auto store = OpenStore(o);
    MakeBucket(store.get(), "b");
    ASSERT_TRUE(Put(store.get(), "b", "small", "tiny").ok());
    ASSERT_TRUE(Put(store.get(), "b", "large", Bytes(20000, 1)).ok());
  }
  // What a crash can leave behind: an extent written but never committed, a segment
  // rolled to but never indexed, a segment tail past the last indexed batch (a torn
  // record), and temporary files.
  WriteFile(blobs + "/" + BlobName(false, 999999), Bytes(30000, 2));
  WriteFile(blobs + "/" + BlobName(true, 999998), Bytes(100, 3));
  std::string seg;
  for (const auto& e : std::filesystem::directory_iterator(blobs)) {
    std::string name = e.path().filename().string();
    if (name.rfind("seg-", 0) == 0 && name != BlobName(true, 999998)) seg = e.path().string();
  }
  ASSERT_FALSE(seg.empty());
  const uint64_t seg_size = std::filesystem::file_size(seg);
  WriteFile(seg, std::string("\x31\x47\x53\x4b", 4) + Bytes(40, 4));
  WriteFile(dir.path() + "/tmp/part-upload", "junk");

  auto store = OpenStore(o);
  EXPECT_FALSE(std::filesystem::exists(blobs + "/" + BlobName(false, 999999)));
  EXPECT_FALSE(std::filesystem::exists(blobs + "/" + BlobName(true, 999998)));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/tmp/part-upload"));
  EXPECT_EQ(CountFiles(blobs, "ext-"), 1u);
  EXPECT_EQ(store->Stats().dead_bytes, 44u);
  EXPECT_EQ(std::filesystem::file_size(seg), seg_size + 44);
  EXPECT_EQ(Get(store.get(), "b", "small"), "tiny");
  EXPECT_EQ(Get(store.get(), "b", "large"), Bytes(20000, 1));
  ListOptions lo;
  EXPECT_EQ(store->ListObjects("b", lo)->objects.size(), 2u);

  // The garbage makes the old segment compactable; its live record moves and the
  // torn tail goes with the file.
  ASSERT_TRUE(store->DeleteObject("b", "large").ok());
  ASSERT_TRUE(Put(store.get(), "b", "x", "y").ok());
  Status st = store->CompactNow();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(std::filesystem::exists(seg));
  EXPECT_EQ(Get(store.get(), "b", "small"), "tiny");
  EXPECT_EQ(store->Stats().dead_bytes, 0u);
}

// Runs in a child process that dies by SIGKILL: writers commit objects and log each
// acknowledged key, an uncommitted large upload is in flight, then the process is killed.
void WriteUntilKilled(const std::string& dir) {
  auto o = TestOptions(dir);
  auto r = StoreImpl::OpenImpl(o);
  if (!r.ok()) _exit(2);
  std::unique_ptr<StoreImpl> store = std::move(r).value();
  if (!store->CreateBucket({"b", 0, "owner", ""}).ok()) _exit(3);
  int log = ::open((dir + "/acked.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  auto pending = store->NewObjectWriter("b", "never-committed", -1);
  if (!pending.ok() || !(*pending)->Append(Bytes(50000, 9)).ok()) _exit(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        std::string key = testing::Numbered("", t);
        key += '-';
        key += std::to_string(i);
        size_t size = (i % 5 == 4) ? 6000 : 200 + i % 100;
        if (!Put(store.get(), "b", key, Bytes(size, t * 100000 + i)).ok()) _exit(5);
        std::string line = key;
        line += ' ';
        line += std::to_string(size);
        line += '\n';
        if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(6);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(::getpid(), SIGKILL);
}

TEST(RecoveryTest, KillNineLosesNoAcknowledgedObject) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The threadsafe death test re-runs this test body in a fresh process: it must find
  // the same directory, passed through the environment.
  constexpr const char* kEnv = "KUMO_STORAGE_CRASH_DIR";
  std::unique_ptr<TempDir> owned;
  std::string path;
  if (const char* d = ::getenv(kEnv)) {
    path = d;
  } else {
    owned = std::make_unique<TempDir>();
    path = owned->path();
    ::setenv(kEnv, path.c_str(), 1);
  }
  EXPECT_EXIT(WriteUntilKilled(path), ::testing::KilledBySignal(SIGKILL), "");
  ::unsetenv(kEnv);

  auto store = OpenStore(TestOptions(path));
  ASSERT_NE(store, nullptr);
  std::ifstream log(path + "/acked.log");
  std::string key;
  size_t size;
  int acked = 0;
  while (log >> key >> size) {
    int t = std::stoi(key.substr(0, key.find('-')));
    int i = std::stoi(key.substr(key.find('-') + 1));
    ASSERT_EQ(Get(store.get(), "b", key), Bytes(size, t * 100000 + i)) << key;
    ++acked;
  }
  EXPECT_GT(acked, 0);
  EXPECT_TRUE(store->HeadObject("b", "never-committed").status().Is(ErrorCode::kNoSuchKey));
  // Every extent file left is referenced by a listed object.
  ListOptions lo;
  lo.max_keys = 1000000;
  auto list = store->ListObjects("b", lo);
  ASSERT_TRUE(list.ok());
  size_t large = 0;
  for (const auto& e : list->objects) large += e.meta.size >= 4096 ? 1 : 0;
  EXPECT_EQ(CountFiles(path + "/blobs", "ext-"), large);
  EXPECT_GE(list->objects.size(), static_cast<size_t>(acked));
  // The engine keeps working: new writes, compaction.
  ASSERT_TRUE(Put(store.get(), "b", "after", "crash").ok());
  ASSERT_TRUE(store->CompactNow().ok());
  EXPECT_EQ(Get(store.get(), "b", "after"), "crash");
}

}  // namespace
}  // namespace kumo::storage
