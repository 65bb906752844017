// The metadata plugin itself (metadata.so, KUMO_METADATA_PLUGIN), loaded as kumod loads
// it, against a fake host API table: which events it handles, what it stores with
// catalog_put, and how host failures turn into results.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <kumo/plugin.h>

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixtures.h"

struct kumo_host {};
struct kumo_call {
  std::map<std::string, std::pair<std::string, std::string>>* objects;  // key -> (data, type)
  std::string etag = "etag-1";
  bool stale = false;
  bool fail_reads = false;
  int opens = 0;
  std::string error;
  struct Put {
    std::string bucket, key, etag, ns, attributes, text;
  };
  std::vector<Put> puts;
  std::vector<std::string> logs;
};
struct kumo_reader {
  kumo_call* call;
  std::string_view data;
};

namespace {

std::string S(kumo_string s) { return s.size == 0 ? std::string() : std::string(s.data, s.size); }

kumo_string LastError(kumo_call* call) { return {call->error.data(), call->error.size()}; }
void SetError(kumo_call* call, kumo_string m) { call->error = S(m); }
void HostLog(kumo_host*, kumo_log_level, kumo_string) {}
void CallLog(kumo_call* call, kumo_log_level, kumo_string m) { call->logs.push_back(S(m)); }

kumo_status Open(kumo_call* call, kumo_string, kumo_string key, kumo_reader** r,
                 kumo_object_info* info) {
  auto it = call->objects->find(S(key));
  if (it == call->objects->end()) {
    call->error = "NoSuchKey";
    return KUMO_ERR_NO_SUCH_KEY;
  }
  ++call->opens;
  *r = new kumo_reader{call, it->second.first};
  info->size = it->second.first.size();
  info->etag = {call->etag.data(), call->etag.size()};
  info->content_type = {it->second.second.data(), it->second.second.size()};
  return KUMO_OK;
}

kumo_status Read(kumo_reader* r, void* buf, size_t cap, size_t* n) {
  if (r->call->fail_reads) {
    r->call->error = "disk on fire";
    return KUMO_ERR_IO;
  }
  *n = std::min(cap, r->data.size());
  std::memcpy(buf, r->data.data(), *n);
  r->data.remove_prefix(*n);
  return KUMO_OK;
}

void Close(kumo_reader* r) { delete r; }

kumo_status CatalogPut(kumo_call* call, kumo_string bucket, kumo_string key, kumo_string etag,
                       kumo_string ns, kumo_string attributes, kumo_string text) {
  if (call->stale) {
    call->error = "stale";
    return KUMO_ERR_STALE;
  }
  call->puts.push_back({S(bucket), S(key), S(etag), S(ns), S(attributes), S(text)});
  return KUMO_OK;
}

class MetadataPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    lib_ = dlopen(KUMO_METADATA_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib_, nullptr) << dlerror();
    auto init = reinterpret_cast<int (*)(uint32_t, kumo_plugin*)>(dlsym(lib_, "kumo_plugin_init"));
    ASSERT_NE(init, nullptr);
    plugin_.struct_size = sizeof(plugin_);
    ASSERT_EQ(init(KUMO_PLUGIN_API_VERSION, &plugin_), 0);
    EXPECT_STREQ(plugin_.name, "metadata");
    api_.struct_size = sizeof(api_);
    api_.api_version = KUMO_PLUGIN_API_VERSION;
    api_.log = &HostLog;
    api_.last_error = &LastError;
    api_.set_error = &SetError;
    api_.open_object = &Open;
    api_.read_object = &Read;
    api_.close_object = &Close;
    api_.log_call = &CallLog;
    api_.catalog_put = &CatalogPut;
  }
  void TearDown() override {
    if (instance_ != nullptr) plugin_.destroy(instance_);
    // metadata.so is linked -z nodelete: dlclose keeps it loaded.
    if (lib_ != nullptr) dlclose(lib_);
  }

  // create() with config; the error text when it fails, "" when it succeeds.
  std::string Create(const std::string& config) {
    char error[512] = {};
    if (plugin_.create(&api_, &host_, {config.data(), config.size()}, &instance_, error,
                       sizeof(error)) != 0) {
      instance_ = nullptr;
      return error;
    }
    return {};
  }

  kumo_result Handle(kumo_call& call, const std::string& name, const std::string& key) {
    call.objects = &objects_;
    kumo_event e{};
    e.struct_size = sizeof(e);
    e.name = {name.data(), name.size()};
    e.bucket = {"b", 1};
    e.key = {key.data(), key.size()};
    e.etag = {"etag-1", 6};
    return plugin_.handle(instance_, &e, &call);
  }

  void* lib_ = nullptr;
  kumo_plugin plugin_{};
  kumo_host_api api_{};
  kumo_host host_;
  void* instance_ = nullptr;
  std::map<std::string, std::pair<std::string, std::string>> objects_;
};

TEST_F(MetadataPlugin, CreatedObjectIsDescribedIntoTheCatalog) {
  ASSERT_EQ(Create("{}"), "");
  namespace t = kumo::metadata::testing;
  objects_["p.jpg"] = {
      t::WithExif(t::MakeImage(".jpg", 30, 20),
                  t::ExifBuilder().Ascii(EXIF_IFD_0, EXIF_TAG_MODEL, "Q2").Block()),
      "image/jpeg"};
  kumo_call call;
  EXPECT_EQ(Handle(call, "ObjectCreated:Put", "p.jpg"), KUMO_RESULT_SUCCESS) << call.error;
  ASSERT_EQ(call.puts.size(), 1u);
  const auto& put = call.puts[0];
  EXPECT_EQ(put.bucket, "b");
  EXPECT_EQ(put.key, "p.jpg");
  EXPECT_EQ(put.etag, "etag-1");
  EXPECT_EQ(put.ns, "metadata");
  auto j = nlohmann::json::parse(put.attributes);
  EXPECT_EQ(j["mime"], "image/jpeg");
  EXPECT_EQ(j["mime_mismatch"], false);
  EXPECT_EQ(j["format"], "jpeg");
  EXPECT_EQ(j["width"], 30);
  EXPECT_EQ(j["height"], 20);
  EXPECT_EQ(j["exif"]["model"], "Q2");
  EXPECT_EQ(j["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(call.logs.empty());
}

TEST_F(MetadataPlugin, TextGoesToTheFullTextIndexAndErrorsAreLogged) {
  ASSERT_EQ(Create(R"({"text_limit_kib": 1})"), "");
  objects_["a.txt"] = {std::string(3000, 'a'), "text/plain"};
  objects_["cut.png"] = {kumo::metadata::testing::MakeImage(".png", 8, 8).substr(0, 60), ""};
  kumo_call call;
  EXPECT_EQ(Handle(call, "ObjectCreated:Put", "a.txt"), KUMO_RESULT_SUCCESS);
  EXPECT_EQ(Handle(call, "ObjectCreated:Copy", "cut.png"), KUMO_RESULT_SUCCESS);
  ASSERT_EQ(call.puts.size(), 2u);
  EXPECT_EQ(call.puts[0].text, std::string(1024, 'a'));
  EXPECT_TRUE(nlohmann::json::parse(call.puts[1].attributes).contains("error"));
  ASSERT_EQ(call.logs.size(), 1u);
  EXPECT_EQ(call.logs[0].rfind("metadata: image: ", 0), 0u) << call.logs[0];
}

TEST_F(MetadataPlugin, OtherEventsAndKeysOutsideThePrefixesAreNotRead) {
  ASSERT_EQ(Create(R"({"prefixes": ["in/"]})"), "");
  objects_["in/x"] = {"hello", "text/plain"};
  objects_["out/x"] = {"hello", "text/plain"};
  kumo_call call;
  EXPECT_EQ(Handle(call, "ObjectRemoved:Delete", "in/x"), KUMO_RESULT_SUCCESS);
  EXPECT_EQ(Handle(call, "ObjectTagging:Put", "in/x"), KUMO_RESULT_SUCCESS);
  EXPECT_EQ(Handle(call, "ObjectCreated:Put", "out/x"), KUMO_RESULT_SUCCESS);
  EXPECT_EQ(call.opens, 0);
  EXPECT_TRUE(call.puts.empty());
  EXPECT_EQ(Handle(call, "ObjectCreated:Put", "in/x"), KUMO_RESULT_SUCCESS);
  EXPECT_EQ(call.puts.size(), 1u);
}

TEST_F(MetadataPlugin, GoneOrChangedObjectsSucceedAndReadFailuresRetry) {
  ASSERT_EQ(Create("{}"), "");
  objects_["x"] = {"hello", "text/plain"};
  kumo_call gone;
  EXPECT_EQ(Handle(gone, "ObjectCreated:Put", "missing"), KUMO_RESULT_SUCCESS);
  kumo_call stale;
  stale.stale = true;
  EXPECT_EQ(Handle(stale, "ObjectCreated:Put", "x"), KUMO_RESULT_SUCCESS) << stale.error;
  kumo_call failing;
  failing.fail_reads = true;
  EXPECT_EQ(Handle(failing, "ObjectCreated:Put", "x"), KUMO_RESULT_RETRY);
  EXPECT_EQ(failing.error, "disk on fire");
}

TEST_F(MetadataPlugin, BadConfigFailsCreateNamingTheKey) {
  EXPECT_EQ(Create(R"({"sha256_max": 5})"),
            "metadata: config key \"sha256_max\": unknown key (known: extractors, prefixes, "
            "head_bytes, sha256_max_bytes, pdf_max_bytes, pdf_text_pages, text_limit_kib)");
  EXPECT_NE(Create(R"({"text_limit_kib": true})").find("\"text_limit_kib\": must be an integer"),
            std::string::npos);
}

}  // namespace
