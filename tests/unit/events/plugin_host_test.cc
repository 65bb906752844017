// The host API table (src/events/plugin_host.h) on a store in a temporary directory, as
// a plugin calls it: every call that touches a bucket or an object is decided as the
// function's principal first; a refused call returns KUMO_ERR_ACCESS_DENIED with its
// reason in last_error and reads or changes nothing.
#include "events/plugin_host.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace kumo::events {
namespace {

using testing::OpenStore;
using testing::TempDir;

constexpr std::string_view kRoot = "ROOTKEY";

kumo_string Str(std::string_view s) { return {s.data(), s.size()}; }
std::string View(kumo_string s) { return std::string(s.data, s.size); }

class PluginHostTest : public ::testing::Test {
 protected:
  PluginHostTest()
      : store_(OpenStore(dir_.path())),
        cache_(
            std::string(kRoot),
            [this](std::string_view name) -> Result<std::shared_ptr<const policy::BucketAccess>> {
              auto info = store_->GetBucket(name);
              if (!info.ok()) return std::shared_ptr<const policy::BucketAccess>();
              auto b = std::make_shared<policy::BucketAccess>();
              b->name = info->name;
              b->owner = info->owner;
              b->acl = policy::PrivateAcl(info->owner);
              return std::shared_ptr<const policy::BucketAccess>(std::move(b));
            },
            [](std::string_view key) -> Result<std::shared_ptr<const policy::UserAccess>> {
              if (key != "bob") return Status(ErrorCode::kInvalidAccessKeyId, "no user");
              auto u = std::make_shared<policy::UserAccess>();
              u->name = "bob";
              u->principal = policy::Principal::User("bob", "bob");
              return std::shared_ptr<const policy::UserAccess>(std::move(u));
            }) {
    for (auto [name, owner] : {std::pair{"src", "alice"}, std::pair{"other", "bob"}}) {
      storage::BucketInfo b;
      b.name = name;
      b.owner = owner;
      EXPECT_TRUE(store_->CreateBucket(b).ok());
    }
    testing::PutObject(store_.get(), "src", "in/a.txt", "hello");
    testing::PutObject(store_.get(), "src", "in/b.txt", "secret");
    host_.function = "thumbs";
    host_.store = store_.get();
    host_.principal = {"thumbs", "", &cache_, store_.get()};
  }

  // A call handling the ObjectCreated event of src/in/a.txt.
  kumo_call Call() {
    kumo_call call;
    call.host = &host_;
    call.event_seq = 1;
    call.access.emplace(&host_.principal, "src", "in/a.txt");
    return call;
  }

  kumo_status Write(kumo_call* call, std::string_view bucket, std::string_view key) {
    kumo_writer* w = nullptr;
    kumo_status s = api_->create_object(call, Str(bucket), Str(key), Str(""), &w);
    if (s != KUMO_OK) {
      EXPECT_EQ(w, nullptr);
      return s;
    }
    EXPECT_EQ(api_->write_object(w, "derived", 7), KUMO_OK);
    return api_->commit_object(w);
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  policy::AccessCache cache_;
  kumo_host host_;
  const kumo_host_api* api_ = PluginHostApi();
};

TEST_F(PluginHostTest, BuiltInPrincipalWritesIntoTheEventBucket) {
  kumo_call call = Call();
  ASSERT_EQ(Write(&call, "src", "out/a.txt"), KUMO_OK) << call.last_error;
  auto meta = store_->HeadObject("src", "out/a.txt");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->owner, "function:thumbs");
  // The ObjectCreated event it caused names the principal and its parent.
  auto events = store_->events()->Read(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  const storage::EventRecord& last = events->back();
  EXPECT_EQ(last.key, "out/a.txt");
  EXPECT_EQ(last.principal, "function:thumbs");
  EXPECT_EQ(last.parent_seq, 1u);
}

TEST_F(PluginHostTest, WriteIntoAnotherBucketIsDenied) {
  kumo_call call = Call();
  EXPECT_EQ(Write(&call, "other", "out/a.txt"), KUMO_ERR_ACCESS_DENIED);
  EXPECT_EQ(View(api_->last_error(&call)),
            "access denied: function thumbs running as function:thumbs (built-in principal) "
            "may not s3:PutObject on arn:aws:s3:::other/out/a.txt");
  EXPECT_EQ(store_->HeadObject("other", "out/a.txt").status().code(), ErrorCode::kNoSuchKey);
}

TEST_F(PluginHostTest, ReadingAnotherObjectIsDenied) {
  kumo_call call = Call();
  kumo_reader* r = nullptr;
  ASSERT_EQ(api_->open_object(&call, Str("src"), Str("in/a.txt"), &r, nullptr), KUMO_OK);
  api_->close_object(r);
  EXPECT_EQ(api_->open_object(&call, Str("src"), Str("in/b.txt"), &r, nullptr),
            KUMO_ERR_ACCESS_DENIED);
  EXPECT_EQ(r, nullptr);
  EXPECT_NE(View(api_->last_error(&call)).find("may not s3:GetObject on arn:aws:s3:::src/in/b.txt"),
            std::string::npos);
}

TEST_F(PluginHostTest, TagsAndMetadataOutsideTheEventBucketAreDenied) {
  testing::PutObject(store_.get(), "other", "x", "x");
  kumo_call call = Call();
  kumo_pair pair{Str("k"), Str("v")};
  EXPECT_EQ(api_->set_tags(&call, Str("src"), Str("in/a.txt"), &pair, 1), KUMO_OK);
  EXPECT_EQ(api_->set_metadata(&call, Str("src"), Str("in/a.txt"), &pair, 1), KUMO_OK);
  EXPECT_EQ(api_->set_tags(&call, Str("other"), Str("x"), &pair, 1), KUMO_ERR_ACCESS_DENIED);
  EXPECT_NE(View(api_->last_error(&call)).find("s3:PutObjectTagging"), std::string::npos);
  EXPECT_EQ(api_->set_metadata(&call, Str("other"), Str("x"), &pair, 1), KUMO_ERR_ACCESS_DENIED);
  EXPECT_NE(View(api_->last_error(&call)).find("s3:PutObject on"), std::string::npos);
  auto meta = store_->HeadObject("other", "x");
  ASSERT_TRUE(meta.ok());
  EXPECT_TRUE(meta->tags.empty());
  EXPECT_TRUE(meta->user_meta.empty());
}

TEST_F(PluginHostTest, RunAsUserWritesWhereTheUserMayAndIsTheEventPrincipal) {
  host_.principal.run_as = "bob";
  kumo_call call = Call();
  EXPECT_EQ(Write(&call, "src", "out/a.txt"), KUMO_ERR_ACCESS_DENIED);  // alice's bucket
  ASSERT_EQ(Write(&call, "other", "out/a.txt"), KUMO_OK) << call.last_error;
  auto meta = store_->HeadObject("other", "out/a.txt");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->owner, "bob");
  auto events = store_->events()->Read(0, 100);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().principal, "bob");
}

TEST_F(PluginHostTest, RunAsRootIsAllowed) {
  host_.principal.run_as = std::string(kRoot);
  kumo_call call = Call();
  EXPECT_EQ(Write(&call, "other", "out/a.txt"), KUMO_OK) << call.last_error;
  kumo_reader* r = nullptr;
  ASSERT_EQ(api_->open_object(&call, Str("src"), Str("in/b.txt"), &r, nullptr), KUMO_OK);
  api_->close_object(r);
}

TEST_F(PluginHostTest, ACallWithoutAPrincipalIsDenied) {
  kumo_call call;
  call.host = &host_;
  EXPECT_EQ(Write(&call, "src", "out/a.txt"), KUMO_ERR_ACCESS_DENIED);
}

}  // namespace
}  // namespace kumo::events
