#include "admin/search_api.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "policy/policy_document.h"

namespace kumo::admin {
namespace {

std::shared_ptr<const policy::UserAccess> MakeUser(const std::string& name,
                                                   const std::string& policy_json) {
  auto u = std::make_shared<policy::UserAccess>();
  u->name = name;
  u->principal = policy::Principal::User(name, name);
  if (!policy_json.empty()) {
    policy::ParseOptions options;
    options.is_identity_policy = true;
    auto p = policy::ParsePolicy(policy_json, options);
    EXPECT_TRUE(p.ok()) << p.status().message();
    if (!p.ok()) return u;
    u->policy = std::make_shared<const policy::Policy>(std::move(*p));
  }
  return u;
}

std::shared_ptr<const policy::BucketAccess> MakeBucket(const std::string& name,
                                                       const std::string& owner) {
  auto b = std::make_shared<policy::BucketAccess>();
  b->name = name;
  b->owner = owner;
  b->acl = policy::PrivateAcl(owner);
  return b;
}

class SearchApiTest : public ::testing::Test {
 protected:
  SearchApiTest()
      : access_(
            "ROOT",
            [this](std::string_view b) -> Result<std::shared_ptr<const policy::BucketAccess>> {
              auto it = buckets_.find(std::string(b));
              return it == buckets_.end() ? nullptr : it->second;
            },
            [this](std::string_view u) -> Result<std::shared_ptr<const policy::UserAccess>> {
              auto it = users_.find(std::string(u));
              if (it == users_.end()) return Status(ErrorCode::kInvalidAccessKeyId, "no user");
              return it->second;
            }) {
    buckets_["alices"] = MakeBucket("alices", "alice");
    buckets_["roots"] = MakeBucket("roots", "ROOT");
    buckets_["shared"] = MakeBucket("shared", "ROOT");
    users_["alice"] = MakeUser("alice", "");
    users_["bob"] = MakeUser("bob", R"({"Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::shared"},
        {"Effect": "Allow", "Action": "kumo:CatalogSql", "Resource": "*"}]})");
  }

  std::vector<std::string> Visible(const std::string& who) {
    HttpRequest request;
    auto v = VisibilityFor(&access_, who, request);
    std::vector<std::string> out;
    for (const char* b : {"alices", "roots", "shared", "gone"}) {
      if (!v || v(b)) out.push_back(b);
    }
    return out;
  }

  std::map<std::string, std::shared_ptr<const policy::BucketAccess>> buckets_;
  std::map<std::string, std::shared_ptr<const policy::UserAccess>> users_;
  policy::AccessCache access_;
};

using V = std::vector<std::string>;

TEST_F(SearchApiTest, VisibilityIsListBucket) {
  EXPECT_EQ(Visible("ROOT"), (V{"alices", "roots", "shared", "gone"}));
  EXPECT_EQ(Visible("alice"), (V{"alices"}));  // the owner's ACL
  EXPECT_EQ(Visible("bob"), (V{"shared"}));    // the identity policy
  EXPECT_EQ(Visible("nobody"), (V{}));
}

TEST_F(SearchApiTest, ErrorsAreJson) {
  HttpRequest r;
  r.method = "GET";
  r.raw_path = std::string(kSearchPath);
  s3::Response off = HandleCatalogQuery("", &access_, "ROOT", r);
  EXPECT_EQ(off.status, 503);
  EXPECT_EQ(
      nlohmann::json::parse(off.body),
      (nlohmann::json{{"error", "ServiceUnavailable"}, {"message", "the catalog is disabled"}}));
  r.method = "DELETE";
  EXPECT_EQ(HandleCatalogQuery("/nonexistent", &access_, "ROOT", r).status, 405);
  r.method = "POST";
  r.raw_path = std::string(kSqlPath);
  r.body = "SELECT 1";
  s3::Response denied = HandleCatalogQuery("/nonexistent", &access_, "alice", r);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(nlohmann::json::parse(denied.body)["error"], "AccessDenied");
  r.method = "GET";
  r.raw_path = std::string(kSearchPath);
  r.raw_query = "limit=0";
  s3::Response bad = HandleCatalogQuery("/nonexistent", &access_, "alice", r);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad.body)["error"], "InvalidArgument");
}

}  // namespace
}  // namespace kumo::admin
