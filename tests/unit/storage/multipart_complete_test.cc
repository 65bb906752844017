// CompleteUpload validates the part records it commits: the validator runs under the
// upload's lock on exactly those records, so a part re-uploaded while an upload
// completes can never end up in the object under the ETag of the part it replaced.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "test_util.h"

namespace kumo::storage {
namespace {

using testing::Bytes;
using testing::Get;
using testing::MakeBucket;
using testing::OpenStore;
using testing::TempDir;
using testing::TestOptions;

// The part's ETag names its bytes, as S3's MD5 does: "etag-<seed>".
Result<PartInfo> UploadPart(Store* s, const std::string& id, int n, uint32_t seed) {
  KUMO_ASSIGN_OR_RETURN(auto w, s->multipart()->NewPartWriter("b", "k", id, n));
  KUMO_RETURN_IF_ERROR(w->Append(Bytes(1000, seed)));
  PartInfo p;
  p.etag = "etag-" + std::to_string(seed);
  return w->Commit(p);
}

std::string CreateUpload(Store* s) {
  auto u = s->multipart()->CreateUpload("b", "k", {}, 1000);
  EXPECT_TRUE(u.ok()) << u.status().ToString();
  return u.ok() ? u->upload_id : "";
}

// Sets the object's ETag from the part records it is given, as the S3 layer does.
MultipartStore::PartValidator EtagFromParts(std::vector<std::string>* seen) {
  return [seen](const std::vector<PartInfo>& parts, ObjectMeta* meta) {
    meta->etag.clear();
    for (const PartInfo& p : parts) {
      seen->push_back(p.etag);
      meta->etag += p.etag + ";";
    }
    return Status::OK();
  };
}

TEST(MultipartCompleteTest, ValidatesTheRecordsItCommitsNotAnEarlierListing) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  const std::string id = CreateUpload(store.get());
  ASSERT_TRUE(UploadPart(store.get(), id, 1, 1).ok());
  ASSERT_TRUE(UploadPart(store.get(), id, 2, 2).ok());
  // A listing taken before part 1 is uploaded again must not be what gets checked.
  bool truncated = false;
  auto listed = store->multipart()->ListParts("b", "k", id, 0, 10, &truncated);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].etag, "etag-1");
  ASSERT_TRUE(UploadPart(store.get(), id, 1, 7).ok());

  std::vector<std::string> seen;
  auto done =
      store->multipart()->CompleteUpload("b", "k", id, {1, 2}, {}, nullptr, EtagFromParts(&seen));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"etag-7", "etag-2"}));
  EXPECT_EQ(done->etag, "etag-7;etag-2;");
  EXPECT_EQ(store->HeadObject("b", "k")->etag, "etag-7;etag-2;");
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(1000, 7) + Bytes(1000, 2));
}

TEST(MultipartCompleteTest, PartReuploadedDuringValidationWaitsForTheCommit) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  const std::string id = CreateUpload(store.get());
  ASSERT_TRUE(UploadPart(store.get(), id, 1, 1).ok());

  // While the validator runs, a writer of part 1 has its bytes durable and commits:
  // the commit must wait for the completion and then find the upload gone.
  std::atomic<bool> committing{false};
  Status reupload;
  std::thread writer;
  std::vector<std::string> seen;
  auto record = EtagFromParts(&seen);
  auto validate = [&](const std::vector<PartInfo>& parts, ObjectMeta* meta) {
    writer = std::thread([&] {
      auto w = store->multipart()->NewPartWriter("b", "k", id, 1);
      if (!w.ok()) {
        reupload = w.status();
        committing = true;
        return;
      }
      reupload = (*w)->Append(Bytes(1000, 9));
      PartInfo p;
      p.etag = "etag-9";
      committing = true;
      if (reupload.ok()) reupload = (*w)->Commit(p).status();
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!committing && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_TRUE(committing.load());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let Commit reach the lock
    return record(parts, meta);
  };
  auto done = store->multipart()->CompleteUpload("b", "k", id, {1}, {}, nullptr, validate);
  writer.join();
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(reupload.Is(ErrorCode::kNoSuchUpload)) << reupload.ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"etag-1"}));
  // The object's bytes are those of the part whose ETag was validated.
  EXPECT_EQ(store->HeadObject("b", "k")->etag, "etag-1;");
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(1000, 1));
}

TEST(MultipartCompleteTest, ValidatorErrorCommitsNothing) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  MakeBucket(store.get(), "b");
  const std::string id = CreateUpload(store.get());
  ASSERT_TRUE(UploadPart(store.get(), id, 1, 1).ok());
  auto reject = [](const std::vector<PartInfo>&, ObjectMeta*) {
    return Status(ErrorCode::kInvalidPart, "etag mismatch");
  };
  auto done = store->multipart()->CompleteUpload("b", "k", id, {1}, {}, nullptr, reject);
  EXPECT_TRUE(done.status().Is(ErrorCode::kInvalidPart)) << done.status().ToString();
  EXPECT_TRUE(store->HeadObject("b", "k").status().Is(ErrorCode::kNoSuchKey));
  // The upload is untouched and still completes.
  std::vector<std::string> seen;
  ASSERT_TRUE(store->multipart()
                  ->CompleteUpload("b", "k", id, {1}, {}, nullptr, EtagFromParts(&seen))
                  .ok());
  EXPECT_EQ(Get(store.get(), "b", "k"), Bytes(1000, 1));
}

}  // namespace
}  // namespace kumo::storage
