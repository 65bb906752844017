// Multipart uploads: parts in their own extent files, replace, list, complete (zero
// copy, subset of parts, overwrite accounting), abort, expiry, ListUploads, DeleteBucket,
// and restart (committed parts survive, uncommitted ones are garbage).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

Result<PartInfo> UploadPart(Store* s, const std::string& bucket, const std::string& key,
                            const std::string& id, int n, const std::string& data) {
  KUMO_ASSIGN_OR_RETURN(auto w, s->multipart()->NewPartWriter(bucket, key, id, n));
  for (size_t off = 0; off < data.size(); off += 777) {
    KUMO_RETURN_IF_ERROR(w->Append(std::string_view(data).substr(off, 777)));
  }
  PartInfo p;
  p.etag = "etag" + std::to_string(n);
  p.mtime_ms = 42;
  return w->Commit(p);
}

const ObjectMeta& UploadMeta() {
  static const ObjectMeta meta = [] {
    ObjectMeta m;
    m.content_type = "text/plain";
    m.owner = "AK";
    return m;
  }();
  return meta;
}

std::string Create(Store* s, const std::string& bucket, const std::string& key,
                   int64_t now_ms = 1000) {
  auto u = s->multipart()->CreateUpload(bucket, key, UploadMeta(), now_ms);
  EXPECT_TRUE(u.ok()) << u.status().ToString();
  return u.ok() ? u->upload_id : "";
}

Result<ObjectMeta> Complete(Store* s, const std::string& bucket, const std::string& key,
                            const std::string& id, const std::vector<int>& parts) {
  ObjectMeta meta;
  meta.etag = "mp-" + std::to_string(parts.size());
  return s->multipart()->CompleteUpload(bucket, key, id, parts, meta);
}

std::vector<int> Numbers(const std::vector<PartInfo>& parts) {
  std::vector<int> out;
  for (const auto& p : parts) out.push_back(p.part_number);
  return out;
}

bool BlobExists(const std::string& dir, const Extent& e) {
  return ::access((dir + "/blobs/" + BlobName(false, e.file_id)).c_str(), F_OK) == 0;
}

TEST(MultipartTest, PartsOutOfOrderReplaceAndListPages) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto* mp = store->multipart();
  const std::string id = Create(store.get(), "b", "k");
  ASSERT_EQ(id.size(), 32u);
  EXPECT_NE(Create(store.get(), "b", "k"), id);
  EXPECT_EQ(mp->GetUpload("b", "k", id)->meta.content_type, "text/plain");
  EXPECT_TRUE(mp->GetUpload("b", "other", id).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(mp->CreateUpload("nope", "k", {}, 1).status().Is(ErrorCode::kNoSuchBucket));
  EXPECT_FALSE(mp->NewPartWriter("b", "k", id, 0).ok());
  EXPECT_FALSE(mp->NewPartWriter("b", "k", id, 10001).ok());

  for (int n : {3, 1, 2}) ASSERT_TRUE(UploadPart(store.get(), "b", "k", id, n, Bytes(10, n)).ok());
  auto old2 = UploadPart(store.get(), "b", "k", id, 2, Bytes(20, 2));
  ASSERT_TRUE(old2.ok());
  auto new2 = UploadPart(store.get(), "b", "k", id, 2, Bytes(30, 9));
  ASSERT_TRUE(new2.ok());
  EXPECT_EQ(new2->size, 30u);
  EXPECT_FALSE(BlobExists(dir.path(), old2->extent));  // the replaced part's file is gone
  EXPECT_TRUE(BlobExists(dir.path(), new2->extent));
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 3u);  // parts are always extents

  bool truncated = false;
  auto page = mp->ListParts("b", "k", id, 0, 2, &truncated);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Numbers(*page), (std::vector<int>{1, 2}));
  EXPECT_TRUE(truncated);
  EXPECT_EQ((*page)[1].size, 30u);
  EXPECT_EQ((*page)[1].etag, "etag2");
  page = mp->ListParts("b", "k", id, 2, 2, &truncated);
  EXPECT_EQ(Numbers(*page), (std::vector<int>{3}));
  EXPECT_FALSE(truncated);
  EXPECT_TRUE(
      mp->ListParts("b", "k", "bogus", 0, 2, &truncated).status().Is(ErrorCode::kNoSuchUpload));
}

TEST(MultipartTest, CompleteWithSubsetReadsAcrossBoundaries) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  const std::string id = Create(store.get(), "b", "obj");
  const std::vector<std::string> data = {Bytes(5000, 1), Bytes(7000, 2), Bytes(3000, 3), "",
                                         Bytes(100, 5)};
  std::vector<PartInfo> parts;
  for (int n = 1; n <= 5; ++n) {
    auto p = UploadPart(store.get(), "b", "obj", id, n, data[static_cast<size_t>(n - 1)]);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    parts.push_back(*p);
  }
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 5u);
  auto done = Complete(store.get(), "b", "obj", id, {1, 3, 4, 5});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  const std::string want = data[0] + data[2] + data[3] + data[4];
  EXPECT_EQ(done->size, want.size());
  ASSERT_EQ(done->extents.size(), 4u);
  EXPECT_FALSE(BlobExists(dir.path(), parts[1].extent));  // the unused part is freed
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 4u);
  EXPECT_TRUE(store->multipart()->GetUpload("b", "obj", id).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(
      UploadPart(store.get(), "b", "obj", id, 1, "x").status().Is(ErrorCode::kNoSuchUpload));

  EXPECT_EQ(Get(store.get(), "b", "obj"), want);
  auto head = store->HeadObject("b", "obj");
  EXPECT_EQ(head->etag, "mp-4");
  EXPECT_EQ(head->extents.size(), 4u);
  auto reader = store->OpenObject("b", "obj");
  ASSERT_TRUE(reader.ok());
  // Ranges that start, end and span across part boundaries (4999/5000, 7999/8000).
  for (auto [off, len] : std::vector<std::pair<size_t, size_t>>{
           {0, 5000}, {4990, 20}, {4999, 3002}, {5000, 3000}, {7999, 101}, {8050, 500}}) {
    std::string buf(len, '\0');
    auto n = (*reader)->ReadAt(off, buf.data(), len);
    ASSERT_TRUE(n.ok());
    size_t expect = std::min(len, want.size() - std::min(off, want.size()));
    ASSERT_EQ(*n, expect) << off;
    EXPECT_EQ(buf.substr(0, *n), want.substr(off, *n)) << off << "+" << len;
  }
  auto stats = store->Stats();
  EXPECT_EQ(stats.objects, 1u);
  EXPECT_EQ(stats.live_bytes, want.size());

  // Deleting the object frees every part file it took over.
  ASSERT_TRUE(store->DeleteObject("b", "obj").ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  EXPECT_EQ(store->Stats().live_bytes, 0u);
}

TEST(MultipartTest, InvalidPartLeavesUploadIntact) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  const std::string id = Create(store.get(), "b", "k");
  ASSERT_TRUE(UploadPart(store.get(), "b", "k", id, 1, "one").ok());
  EXPECT_TRUE(Complete(store.get(), "b", "k", id, {1, 2}).status().Is(ErrorCode::kInvalidPart));
  EXPECT_TRUE(store->multipart()->GetUpload("b", "k", id).ok());
  EXPECT_TRUE(store->HeadObject("b", "k").status().Is(ErrorCode::kNoSuchKey));
  EXPECT_TRUE(Complete(store.get(), "b", "k", "nope", {1}).status().Is(ErrorCode::kNoSuchUpload));
  ASSERT_TRUE(Complete(store.get(), "b", "k", id, {1}).ok());
  EXPECT_EQ(Get(store.get(), "b", "k"), "one");
  EXPECT_TRUE(Complete(store.get(), "b", "k", id, {1}).status().Is(ErrorCode::kNoSuchUpload));
}

TEST(MultipartTest, AbortFreesPartsAndEndsTheUpload) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto* mp = store->multipart();
  const std::string id = Create(store.get(), "b", "k");
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(UploadPart(store.get(), "b", "k", id, n, "x").ok());
  // A writer already streaming when the upload is aborted cannot commit.
  auto late = mp->NewPartWriter("b", "k", id, 4);
  ASSERT_TRUE(late.ok());
  ASSERT_TRUE((*late)->Append(Bytes(5000, 1)).ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 4u);

  ASSERT_TRUE(mp->AbortUpload("b", "k", id).ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);  // only the late writer's
  EXPECT_TRUE((*late)->Commit({}).status().Is(ErrorCode::kNoSuchUpload));
  late->reset();
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);

  EXPECT_TRUE(mp->AbortUpload("b", "k", id).Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(Complete(store.get(), "b", "k", id, {1}).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(mp->NewPartWriter("b", "k", id, 1).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(mp->ListUploads("b", {})->uploads.empty());
}

TEST(MultipartTest, ListUploadsPrefixDelimiterMarkers) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  MakeBucket(store.get(), "b2");
  auto* mp = store->multipart();
  const std::string a1 = Create(store.get(), "b", "a", 10);
  const std::string a2 = Create(store.get(), "b", "a", 20);
  const std::string ab = Create(store.get(), "b", "a/b", 5);
  const std::string ac = Create(store.get(), "b", "a/c", 5);
  const std::string c = Create(store.get(), "b", "c", 1);
  Create(store.get(), "b2", "a", 1);  // another bucket never shows up
  EXPECT_TRUE(mp->ListUploads("nope", {}).status().Is(ErrorCode::kNoSuchBucket));

  auto all = mp->ListUploads("b", {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->uploads.size(), 5u);
  std::vector<std::string> ids;
  for (const auto& u : all->uploads) ids.push_back(u.upload_id);
  EXPECT_EQ(ids, (std::vector<std::string>{a1, a2, ab, ac, c}));  // by key, then initiation
  EXPECT_EQ(all->uploads[2].key, "a/b");
  EXPECT_FALSE(all->truncated);

  UploadListOptions o;
  o.prefix = "a/";
  auto pre = mp->ListUploads("b", o);
  ASSERT_EQ(pre->uploads.size(), 2u);
  EXPECT_EQ(pre->uploads[0].key, "a/b");

  o = {};
  o.delimiter = "/";
  auto del = mp->ListUploads("b", o);
  ASSERT_EQ(del->uploads.size(), 3u);  // a, a, c
  EXPECT_EQ(del->common_prefixes, (std::vector<std::string>{"a/"}));

  // Pages of two, following the next markers, visit everything exactly once.
  o = {};
  o.max_uploads = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto r = mp->ListUploads("b", o);
    ASSERT_TRUE(r.ok());
    for (const auto& u : r->uploads) seen.push_back(u.upload_id);
    if (!r->truncated) break;
    o.key_marker = r->next_key_marker;
    o.upload_id_marker = r->next_upload_id_marker;
  }
  EXPECT_EQ(seen, ids);

  // key_marker alone skips every upload of that key; with an id, only those up to it.
  o = {};
  o.key_marker = "a";
  auto after_a = mp->ListUploads("b", o);
  ASSERT_EQ(after_a->uploads.size(), 3u);
  EXPECT_EQ(after_a->uploads[0].key, "a/b");
  o.upload_id_marker = a1;
  auto after_a1 = mp->ListUploads("b", o);
  ASSERT_EQ(after_a1->uploads.size(), 4u);
  EXPECT_EQ(after_a1->uploads[0].upload_id, a2);

  // A page ending on a common prefix continues after the whole group.
  o = {};
  o.delimiter = "/";
  o.key_marker = "a";
  o.max_uploads = 1;
  auto p1 = mp->ListUploads("b", o);
  EXPECT_TRUE(p1->uploads.empty());
  EXPECT_EQ(p1->common_prefixes, (std::vector<std::string>{"a/"}));
  EXPECT_TRUE(p1->truncated);
  EXPECT_EQ(p1->next_key_marker, "a/");
  EXPECT_EQ(p1->next_upload_id_marker, "");
  o.key_marker = p1->next_key_marker;
  auto p2 = mp->ListUploads("b", o);
  ASSERT_EQ(p2->uploads.size(), 1u);
  EXPECT_EQ(p2->uploads[0].key, "c");
  EXPECT_FALSE(p2->truncated);
}

TEST(MultipartTest, ExpireAbandonedUploads) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto* mp = store->multipart();
  const std::string old_id = Create(store.get(), "b", "old", 1000);
  const std::string new_id = Create(store.get(), "b", "new", 5000);
  ASSERT_TRUE(UploadPart(store.get(), "b", "old", old_id, 1, "x").ok());
  ASSERT_TRUE(UploadPart(store.get(), "b", "new", new_id, 1, "y").ok());
  auto n = mp->ExpireUploads(3000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_TRUE(mp->GetUpload("b", "old", old_id).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(mp->GetUpload("b", "new", new_id).ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 1u);
  EXPECT_EQ(*mp->ExpireUploads(3000), 0u);
}

TEST(MultipartTest, CompleteOverwritesExistingObject) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto large = Put(store.get(), "b", "large", Bytes(10000, 1));  // an extent file
  ASSERT_TRUE(large.ok());
  ASSERT_TRUE(Put(store.get(), "b", "small", Bytes(100, 2)).ok());  // packed
  ASSERT_EQ(store->Stats().live_bytes, 10100u);

  for (const std::string& key : std::vector<std::string>{"large", "small"}) {
    const std::string id = Create(store.get(), "b", key);
    ASSERT_TRUE(UploadPart(store.get(), "b", key, id, 1, Bytes(6000, 3)).ok());
    ASSERT_TRUE(UploadPart(store.get(), "b", key, id, 2, Bytes(50, 4)).ok());
    ASSERT_TRUE(Complete(store.get(), "b", key, id, {1, 2}).ok());
    EXPECT_EQ(Get(store.get(), "b", key), Bytes(6000, 3) + Bytes(50, 4));
  }
  EXPECT_FALSE(BlobExists(dir.path(), large->extents[0]));
  auto stats = store->Stats();
  EXPECT_EQ(stats.objects, 2u);
  EXPECT_EQ(stats.live_bytes, 2u * 6050u);
  EXPECT_GT(stats.dead_bytes, 100u);  // the small object's packed record
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 4u);
}

TEST(MultipartTest, DeleteBucketAbortsUploadsButNotObjects) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  auto* mp = store->multipart();
  const std::string id = Create(store.get(), "b", "k");
  ASSERT_TRUE(UploadPart(store.get(), "b", "k", id, 1, "x").ok());
  ASSERT_TRUE(Put(store.get(), "b", "obj", "y").ok());
  EXPECT_TRUE(store->DeleteBucket("b").Is(ErrorCode::kBucketNotEmpty));
  EXPECT_TRUE(mp->GetUpload("b", "k", id).ok());  // a refused delete changes nothing
  ASSERT_TRUE(store->DeleteObject("b", "obj").ok());
  ASSERT_TRUE(store->DeleteBucket("b").ok());
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  MakeBucket(store.get(), "b");
  EXPECT_TRUE(mp->GetUpload("b", "k", id).status().Is(ErrorCode::kNoSuchUpload));
  EXPECT_TRUE(mp->ListUploads("b", {})->uploads.empty());
}

TEST(MultipartTest, ReopenKeepsUploadsAndDropsUncommittedParts) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  const std::string blobs = dir.path() + "/blobs";
  const std::string aside = dir.path() + "/aside";
  std::string pending, done;
  std::string stray_name;
  {
    auto store = OpenStore(o);
    MakeBucket(store.get(), "b");
    done = Create(store.get(), "b", "done");
    ASSERT_TRUE(UploadPart(store.get(), "b", "done", done, 1, Bytes(9000, 1)).ok());
    ASSERT_TRUE(UploadPart(store.get(), "b", "done", done, 2, Bytes(10, 2)).ok());
    ASSERT_TRUE(Complete(store.get(), "b", "done", done, {1, 2}).ok());
    pending = Create(store.get(), "b", "pending");
    ASSERT_TRUE(UploadPart(store.get(), "b", "pending", pending, 7, Bytes(3000, 7)).ok());
    // A part streamed but never committed, as a crash leaves it: keep a hard link to
    // its file, let the writer discard it, then put the file back while closed.
    auto w = store->multipart()->NewPartWriter("b", "pending", pending, 8);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(Bytes(2 << 20, 8)).ok());
    std::filesystem::create_directory(aside);
    for (const auto& e : std::filesystem::directory_iterator(blobs)) {
      std::filesystem::create_hard_link(e.path(), aside + "/" + e.path().filename().string());
    }
    w->reset();
    for (const auto& e : std::filesystem::directory_iterator(aside)) {
      if (!std::filesystem::exists(blobs + "/" + e.path().filename().string())) {
        stray_name = e.path().filename().string();
      }
    }
    ASSERT_FALSE(stray_name.empty());
  }
  std::filesystem::rename(aside + "/" + stray_name, blobs + "/" + stray_name);
  ASSERT_EQ(CountFiles(blobs, "ext-"), 4u);

  auto store = OpenStore(o);
  EXPECT_EQ(CountFiles(blobs, "ext-"), 3u);  // the uncommitted part is gone
  EXPECT_FALSE(std::filesystem::exists(blobs + "/" + stray_name));
  EXPECT_EQ(Get(store.get(), "b", "done"), Bytes(9000, 1) + Bytes(10, 2));
  auto* mp = store->multipart();
  auto list = mp->ListUploads("b", {});
  ASSERT_EQ(list->uploads.size(), 1u);
  EXPECT_EQ(list->uploads[0].upload_id, pending);
  bool truncated = false;
  EXPECT_EQ(Numbers(*mp->ListParts("b", "pending", pending, 0, 100, &truncated)),
            (std::vector<int>{7}));
  ASSERT_TRUE(Complete(store.get(), "b", "pending", pending, {7}).ok());
  EXPECT_EQ(Get(store.get(), "b", "pending"), Bytes(3000, 7));
  EXPECT_EQ(store->Stats().objects, 2u);
}

TEST(MultipartTest, UploadRecordKeepsTagsAcrossReopen) {
  TempDir dir;
  std::string id;
  {
    auto store = OpenStore(TestOptions(dir.path()));
    MakeBucket(store.get(), "b");
    ObjectMeta meta = UploadMeta();
    meta.tags = {{"a", "1"}, {"b", ""}};
    auto u = store->multipart()->CreateUpload("b", "k", meta, 1000);
    ASSERT_TRUE(u.ok());
    id = u->upload_id;
  }
  auto store = OpenStore(TestOptions(dir.path()));
  auto upload = store->multipart()->GetUpload("b", "k", id);
  ASSERT_TRUE(upload.ok());
  const std::vector<std::pair<std::string, std::string>> want = {{"a", "1"}, {"b", ""}};
  EXPECT_EQ(upload->meta.tags, want);
  EXPECT_EQ(upload->meta.content_type, "text/plain");
  ASSERT_TRUE(UploadPart(store.get(), "b", "k", id, 1, "data").ok());
  ObjectMeta meta = upload->meta;
  meta.etag = "mp-1";
  ASSERT_TRUE(store->multipart()->CompleteUpload("b", "k", id, {1}, meta).ok());
  EXPECT_EQ(store->HeadObject("b", "k")->tags, want);
}

TEST(MultipartTest, OpensDataDirCreatedBeforeMultipart) {
  TempDir dir;
  auto o = TestOptions(dir.path());
  {
    auto store = OpenStore(o);
    MakeBucket(store.get(), "b");
    ASSERT_TRUE(Put(store.get(), "b", "k", "v").ok());
  }
  {
    // Drop the multipart column families, as in a data directory of an older version.
    auto index = Index::Open(dir.path() + "/index", true);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE((*index)->db()->DropColumnFamily((*index)->uploads()).ok());
    ASSERT_TRUE((*index)->db()->DropColumnFamily((*index)->parts()).ok());
  }
  {
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies({}, dir.path() + "/index", &names).ok());
    EXPECT_EQ(std::count(names.begin(), names.end(), "uploads"), 0);
  }
  auto store = OpenStore(o);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Get(store.get(), "b", "k"), "v");
  const std::string id = Create(store.get(), "b", "m");
  ASSERT_TRUE(UploadPart(store.get(), "b", "m", id, 1, "part").ok());
  ASSERT_TRUE(Complete(store.get(), "b", "m", id, {1}).ok());
  EXPECT_EQ(Get(store.get(), "b", "m"), "part");
}

TEST(MultipartTest, ConcurrentPartsCompleteAndAbort) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  // Racing commits of the same part numbers: one wins each, the losers' files go.
  const std::string id = Create(store.get(), "b", "k");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 1; n <= 5; ++n) {
        EXPECT_TRUE(UploadPart(store.get(), "b", "k", id, n, Bytes(5000, n * 10 + t)).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  threads.clear();
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 5u);

  // Complete and Abort of one upload: exactly one of them wins.
  std::atomic<int> wins{0};
  threads.emplace_back([&] { wins += Complete(store.get(), "b", "k", id, {1, 2, 3, 4, 5}).ok(); });
  threads.emplace_back([&] { wins += store->multipart()->AbortUpload("b", "k", id).ok(); });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), 1);
  const bool completed = store->HeadObject("b", "k").ok();
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), completed ? 5u : 0u);
  EXPECT_EQ(store->Stats().objects, completed ? 1u : 0u);
}

TEST(MultipartTest, DeleteBucketRacingPartUploadsLeavesNoOrphans) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  std::atomic<bool> deleted{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200 && !deleted; ++i) {
        auto u = store->multipart()->CreateUpload("b", testing::Numbered("k", t), {}, i);
        if (!u.ok()) break;  // the bucket is gone
        for (int n = 1; n <= 3; ++n) {
          auto p = UploadPart(store.get(), "b", u->key, u->upload_id, n, Bytes(100, n));
          if (!p.ok()) {
            EXPECT_TRUE(p.status().Is(ErrorCode::kNoSuchUpload)) << p.status().ToString();
          }
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(store->DeleteBucket("b").ok());
  deleted = true;
  for (auto& th : threads) th.join();
  // Every part either went with its upload or was discarded by its writer.
  EXPECT_EQ(CountFiles(dir.path() + "/blobs", "ext-"), 0u);
  MakeBucket(store.get(), "b");
  EXPECT_TRUE(store->multipart()->ListUploads("b", {})->uploads.empty());
}

}  // namespace
}  // namespace kumo::storage
