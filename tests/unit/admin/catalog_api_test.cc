#include "admin/catalog_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../events/test_util.h"
#include "admin/metrics.h"

namespace kumo::admin {
namespace {

using events::testing::MakeBucket;
using events::testing::OpenStore;
using events::testing::PutObject;
using events::testing::TempDir;

HttpRequest Request(const std::string& method, const std::string& path) {
  HttpRequest r;
  r.method = method;
  r.raw_path = path;
  r.target = path;
  return r;
}

class CatalogApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    MakeBucket(store_.get(), "b");
    PutObject(store_.get(), "b", "k1");
    PutObject(store_.get(), "b", "k2");
    catalog::CatalogOptions o;
    o.data_dir = dir_.path();
    auto c = catalog::Catalog::Open(o, store_.get());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(c).value();
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(CatalogApiTest, StatusBeforeAndAfterARebuild) {
  auto r = HandleCatalogApi(catalog_.get(), Request("GET", "/_kumo/admin/catalog/status"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["cursor"], 0);
  EXPECT_EQ(j["watermark"], 2);
  EXPECT_EQ(j["lag_events"], 2);
  EXPECT_TRUE(j["rebuilt"].is_null());
  EXPECT_TRUE(j["last_error"].is_null());
  EXPECT_EQ(j["db_path"], catalog_->db_path());

  ASSERT_TRUE(catalog_->RebuildNow().ok());
  r = HandleCatalogApi(catalog_.get(), Request("GET", "/_kumo/admin/catalog/status"));
  j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["cursor"], 2);
  EXPECT_EQ(j["lag_events"], 0);
  EXPECT_EQ(j["lag_seconds"], 0.0);
  EXPECT_EQ(j["objects"], 2);
  EXPECT_EQ(j["rebuild_scanned"], 2);
  EXPECT_FALSE(j["rebuilding"].get<bool>());
  EXPECT_TRUE(j["rebuilt"].is_string());
  EXPECT_GT(j["db_bytes"].get<uint64_t>(), 0u);
}

TEST_F(CatalogApiTest, RebuildIsAcceptedThenFinishes) {
  auto r = HandleCatalogApi(catalog_.get(), Request("POST", "/_kumo/admin/catalog/rebuild"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
  ASSERT_TRUE(events::testing::WaitUntil([&] { return !catalog_->GetStatus().rebuilding; }));
  EXPECT_EQ(catalog_->GetStatus().objects, 2);
  catalog_->Stop();
}

TEST_F(CatalogApiTest, MethodsPathsAndDisabled) {
  EXPECT_FALSE(HandleCatalogApi(catalog_.get(), Request("GET", "/_kumo/admin/handlers")));
  EXPECT_EQ(
      HandleCatalogApi(catalog_.get(), Request("POST", "/_kumo/admin/catalog/status"))->status,
      405);
  EXPECT_EQ(
      HandleCatalogApi(catalog_.get(), Request("GET", "/_kumo/admin/catalog/rebuild"))->status,
      405);
  EXPECT_EQ(HandleCatalogApi(catalog_.get(), Request("GET", "/_kumo/admin/catalog/x"))->status,
            404);
  auto off = HandleCatalogApi(nullptr, Request("GET", "/_kumo/admin/catalog/status"));
  ASSERT_TRUE(off);
  EXPECT_EQ(off->status, 503);
  EXPECT_NE(off->body.find("disabled"), std::string::npos);
}

TEST_F(CatalogApiTest, MetricsHaveTheCatalogFamilies) {
  ASSERT_TRUE(catalog_->RebuildNow().ok());
  PutObject(store_.get(), "b", "k3");
  std::string text = RenderMetrics(store_.get(), nullptr, catalog_.get());
  EXPECT_NE(text.find("\nkumo_catalog_cursor 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nkumo_catalog_lag 1\n"), std::string::npos);
  EXPECT_NE(text.find("\nkumo_catalog_objects 2\n"), std::string::npos);
  EXPECT_NE(text.find("\nkumo_catalog_errors_total 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nkumo_catalog_rebuilding 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nkumo_catalog_lag_seconds "), std::string::npos);
  EXPECT_EQ(RenderMetrics(store_.get(), nullptr).find("kumo_catalog"), std::string::npos);
}

}  // namespace
}  // namespace kumo::admin
