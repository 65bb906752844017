// The host API table (src/events/plugin_host.h) on a store in a temporary directory, as
// a plugin calls it: every call that touches a bucket or an object is decided as the
// function's principal first; a refused call returns KUMO_ERR_ACCESS_DENIED with its
// reason in last_error and reads or changes nothing.
#include "events/plugin_host.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <new>
#include <stdexcept>

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

// A catalog that records what it is given and refuses one ETag as stale; it can also be
// told to throw, to show that nothing unwinds into the plugin.
class RecordingCatalog : public CatalogSink {
 public:
  Result<bool> PutAttributes(std::string_view bucket, std::string_view key, std::string_view etag,
                             std::string_view ns, std::string_view attributes,
                             std::string_view text) override {
    if (throw_) throw std::bad_alloc();
    puts.push_back(std::string(bucket)
                       .append("/")
                       .append(key)
                       .append(" ")
                       .append(ns)
                       .append(" ")
                       .append(attributes)
                       .append(" ")
                       .append(text));
    return etag != "stale";
  }
  Status RemoveAttributes(std::string_view bucket, std::string_view key,
                          std::string_view ns) override {
    if (throw_) throw std::runtime_error("catalog exploded");
    removes.push_back(std::string(bucket).append("/").append(key).append(" ").append(ns));
    return Status::OK();
  }
  std::vector<std::string> puts, removes;
  bool throw_ = false;
};

TEST_F(PluginHostTest, StatObjectReportsTheStoredAttributes) {
  ASSERT_TRUE(store_
                  ->UpdateObjectMeta("src", "in/a.txt",
                                     [](storage::ObjectMeta& m) {
                                       m.user_meta = {{"color", "blue"}};
                                       m.tags = {{"z", "1"}, {"a", "2"}};
                                       m.content_type = "text/plain";
                                       return Status::OK();
                                     })
                  .ok());
  kumo_call call = Call();
  kumo_object_stat st{};
  st.struct_size = sizeof(st);
  ASSERT_EQ(api_->stat_object(&call, Str("src"), Str("in/a.txt"), &st), KUMO_OK) << call.last_error;
  EXPECT_EQ(st.size, 5u);
  EXPECT_EQ(View(st.etag), store_->HeadObject("src", "in/a.txt")->etag);
  EXPECT_EQ(View(st.content_type), "text/plain");
  ASSERT_EQ(st.metadata_count, 1u);
  EXPECT_EQ(View(st.metadata[0].name), "color");
  EXPECT_EQ(st.tag_count, 2u);
  EXPECT_EQ(st.parts, 0u);

  const kumo_pair* tags = nullptr;
  size_t count = 0;
  ASSERT_EQ(api_->get_tags(&call, Str("src"), Str("in/a.txt"), &tags, &count), KUMO_OK);
  ASSERT_EQ(count, 2u);
  EXPECT_EQ(View(tags[0].name), "a");  // sorted by key
  EXPECT_EQ(View(tags[1].name), "z");
}

TEST_F(PluginHostTest, StatObjectFillsOnlyWhatAnOlderCallersStructHas) {
  // A plugin built against a header whose kumo_object_stat ended after content_type.
  struct Older {
    uint32_t struct_size;
    uint64_t size;
    int64_t mtime_ms;
    kumo_string etag;
    kumo_string content_type;
  };
  struct {
    Older older;
    unsigned char canary[64];
  } buf;
  std::memset(&buf, 0xAB, sizeof(buf));
  buf.older.struct_size = sizeof(Older);
  kumo_call call = Call();
  ASSERT_EQ(api_->stat_object(&call, Str("src"), Str("in/a.txt"),
                              reinterpret_cast<kumo_object_stat*>(&buf.older)),
            KUMO_OK);
  EXPECT_EQ(buf.older.size, 5u);
  for (unsigned char c : buf.canary) ASSERT_EQ(c, 0xAB) << "wrote past the caller's struct";
}

TEST_F(PluginHostTest, TheBuiltInPrincipalMayNotStatOtherObjectsOrList) {
  kumo_call call = Call();
  kumo_object_stat st{};
  st.struct_size = sizeof(st);
  EXPECT_EQ(api_->stat_object(&call, Str("src"), Str("in/b.txt"), &st), KUMO_ERR_ACCESS_DENIED);
  const kumo_list_entry* entries = nullptr;
  size_t count = 0;
  int truncated = 0;
  EXPECT_EQ(
      api_->list_objects(&call, Str("src"), Str(""), Str(""), 10, &entries, &count, &truncated),
      KUMO_ERR_ACCESS_DENIED);
  EXPECT_NE(View(api_->last_error(&call)).find("s3:ListBucket"), std::string::npos);
  EXPECT_EQ(count, 0u);
}

TEST_F(PluginHostTest, RootListsInPagesAndDeletesWithAChildEvent) {
  host_.principal.run_as = std::string(kRoot);
  kumo_call call = Call();
  const kumo_list_entry* entries = nullptr;
  size_t count = 0;
  int truncated = 0;
  ASSERT_EQ(
      api_->list_objects(&call, Str("src"), Str("in/"), Str(""), 1, &entries, &count, &truncated),
      KUMO_OK)
      << call.last_error;
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(View(entries[0].key), "in/a.txt");
  EXPECT_EQ(truncated, 1);
  ASSERT_EQ(api_->list_objects(&call, Str("src"), Str("in/"), Str("in/a.txt"), 0, &entries, &count,
                               &truncated),
            KUMO_OK);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(View(entries[0].key), "in/b.txt");
  EXPECT_EQ(truncated, 0);
  EXPECT_EQ(
      api_->list_objects(&call, Str("src"), Str(""), Str(""), 1001, &entries, &count, &truncated),
      KUMO_ERR_INVALID_ARGUMENT);

  ASSERT_EQ(api_->delete_object(&call, Str("src"), Str("in/b.txt")), KUMO_OK);
  EXPECT_EQ(store_->HeadObject("src", "in/b.txt").status().code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(api_->delete_object(&call, Str("src"), Str("in/b.txt")), KUMO_OK);  // absent: OK
  auto events = store_->events()->Read(0, 100);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().name, "ObjectRemoved:Delete");
  EXPECT_EQ(events->back().parent_seq, 1u);
}

TEST_F(PluginHostTest, SetMetadataRecordsTheInternalMetadataEvent) {
  kumo_call call = Call();
  kumo_pair pair{Str("k"), Str("v")};
  ASSERT_EQ(api_->set_metadata(&call, Str("src"), Str("in/a.txt"), &pair, 1), KUMO_OK);
  auto events = store_->events()->Read(0, 100);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().name, storage::kObjectMetadataEvent);
  EXPECT_EQ(events->back().key, "in/a.txt");
}

TEST_F(PluginHostTest, CatalogCallsReachTheSinkTiedToTheETag) {
  RecordingCatalog catalog;
  host_.catalog = &catalog;
  kumo_call call = Call();
  EXPECT_EQ(api_->catalog_put(&call, Str("src"), Str("in/a.txt"), Str("e1"), Str("fn"),
                              Str(R"({"w":1})"), Str("words")),
            KUMO_OK);
  EXPECT_EQ(api_->catalog_put(&call, Str("src"), Str("in/a.txt"), Str("stale"), Str("fn"),
                              Str("{}"), Str("")),
            KUMO_ERR_STALE);
  EXPECT_NE(View(api_->last_error(&call)).find("no longer the version"), std::string::npos);
  EXPECT_EQ(api_->catalog_remove(&call, Str("src"), Str("in/a.txt"), Str("fn")), KUMO_OK);
  EXPECT_EQ(catalog.puts.front(), R"(src/in/a.txt fn {"w":1} words)");
  EXPECT_EQ(catalog.removes, std::vector<std::string>{"src/in/a.txt fn"});
  // Outside the event's bucket the built-in principal may not describe objects.
  EXPECT_EQ(
      api_->catalog_put(&call, Str("other"), Str("x"), Str("e"), Str("fn"), Str("{}"), Str("")),
      KUMO_ERR_ACCESS_DENIED);
  EXPECT_EQ(catalog.puts.size(), 2u);
}

TEST_F(PluginHostTest, WithoutACatalogPutStillAnswersAboutTheVersion) {
  kumo_call call = Call();
  auto meta = store_->HeadObject("src", "in/a.txt");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(api_->catalog_put(&call, Str("src"), Str("in/a.txt"), Str(meta->etag), Str("fn"),
                              Str("{}"), Str("")),
            KUMO_OK);
  EXPECT_EQ(api_->catalog_put(&call, Str("src"), Str("in/a.txt"), Str("old"), Str("fn"), Str("{}"),
                              Str("")),
            KUMO_ERR_STALE);
}

TEST_F(PluginHostTest, NothingThrownUnwindsIntoThePlugin) {
  RecordingCatalog catalog;
  catalog.throw_ = true;
  host_.catalog = &catalog;
  kumo_call call = Call();
  EXPECT_EQ(api_->catalog_put(&call, Str("src"), Str("in/a.txt"), Str("e"), Str("fn"), Str("{}"),
                              Str("")),
            KUMO_ERR_NO_MEMORY);
  EXPECT_EQ(api_->catalog_remove(&call, Str("src"), Str("in/a.txt"), Str("fn")), KUMO_ERR_INTERNAL);
  EXPECT_EQ(View(api_->last_error(&call)), "catalog exploded");
}

TEST(PluginHostApiTest, TheTableHasEveryVersion2Entry) {
  const kumo_host_api* api = PluginHostApi();
  EXPECT_EQ(api->api_version, 2u);
  EXPECT_TRUE(KUMO_HOST_HAS(api, stat_object));
  EXPECT_TRUE(KUMO_HOST_HAS(api, catalog_remove));
  // A table as a version 1 host handed it out ends after set_tags.
  kumo_host_api v1 = *api;
  v1.struct_size = static_cast<uint32_t>(offsetof(kumo_host_api, stat_object));
  EXPECT_TRUE(KUMO_HOST_HAS(&v1, set_tags));
  EXPECT_FALSE(KUMO_HOST_HAS(&v1, stat_object));
  EXPECT_FALSE(KUMO_HOST_HAS(&v1, catalog_put));
}

}  // namespace
}  // namespace kumo::events
