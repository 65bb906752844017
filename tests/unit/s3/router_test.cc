#include "s3/router.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kumo::s3 {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  // A request as the HTTP layer hands it over: raw path, decoded query, Host header.
  RequestContext Make(std::string method, std::string raw_path, StringPairs query = {},
                      std::string host = "localhost:9000") {
    RequestContext ctx;
    ctx.http.method = std::move(method);
    ctx.http.raw_path = std::move(raw_path);
    ctx.http.target = ctx.http.raw_path;
    ctx.http.headers = {{"host", std::move(host)}};
    ctx.query = std::move(query);
    ctx.options = &options_;
    return ctx;
  }

  // Resolves the addressing, then routes; returns the routing result.
  Result<std::unique_ptr<Operation>> RouteRequest(RequestContext& ctx) {
    Status s = ResolveAddressing(ctx);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return Route(ctx);
  }

  void ExpectRoutes(std::string method, std::string path, StringPairs query = {}) {
    RequestContext ctx = Make(method, path, query);
    auto op = RouteRequest(ctx);
    EXPECT_TRUE(op.ok()) << method << " " << path << ": " << op.status().ToString();
    if (op.ok()) {
      EXPECT_NE(op->get(), nullptr) << method << " " << path;
    }
  }

  void ExpectRouteError(std::string method, std::string path, StringPairs query, ErrorCode code) {
    RequestContext ctx = Make(method, path, query);
    auto op = RouteRequest(ctx);
    ASSERT_FALSE(op.ok()) << method << " " << path << " was routed";
    EXPECT_TRUE(op.status().Is(code)) << method << " " << path << ": " << op.status().ToString();
  }

  ServiceOptions options_;
};

TEST_F(RouterTest, PathStyleObjectKeyKeepsSlashes) {
  RequestContext ctx = Make("GET", "/bucket/key/with/slashes");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "bucket");
  EXPECT_EQ(ctx.key, "key/with/slashes");
  EXPECT_EQ(ctx.Resource(), "/bucket/key/with/slashes");
}

TEST_F(RouterTest, PathStyleBucketOnly) {
  for (std::string path : {"/bucket", "/bucket/"}) {
    RequestContext ctx = Make("GET", path);
    ctx.bucket = "stale";
    ctx.key = "stale";
    ASSERT_TRUE(ResolveAddressing(ctx).ok());
    EXPECT_EQ(ctx.bucket, "bucket") << path;
    EXPECT_EQ(ctx.key, "") << path;
  }
}

TEST_F(RouterTest, PathStyleServiceRoot) {
  for (std::string path : {"/", ""}) {
    RequestContext ctx = Make("GET", path);
    ASSERT_TRUE(ResolveAddressing(ctx).ok());
    EXPECT_EQ(ctx.bucket, "") << "'" << path << "'";
    EXPECT_EQ(ctx.key, "") << "'" << path << "'";
  }
}

TEST_F(RouterTest, PathStylePercentDecodesKey) {
  RequestContext ctx = Make("GET", "/b/a%20b%2Fc");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "b");
  EXPECT_EQ(ctx.key, "a b/c");

  ctx = Make("GET", "/b/%E2%82%AC+100%25");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.key, "\xe2\x82\xac+100%");  // '+' is literal in a path

  ctx = Make("GET", "/b//leading-slash");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.key, "/leading-slash");
}

TEST_F(RouterTest, MalformedEscapeIsInvalidUri) {
  for (std::string path : {"/b/%zz", "/b/a%2", "/b%"}) {
    RequestContext ctx = Make("GET", path);
    Status s = ResolveAddressing(ctx);
    EXPECT_TRUE(s.Is(ErrorCode::kInvalidURI)) << path << ": " << s.ToString();
  }
}

TEST_F(RouterTest, VirtualHostedStyle) {
  options_.domain = "localhost";
  RequestContext ctx = Make("GET", "/key/with/slashes", {}, "bucket.localhost:9000");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "bucket");
  EXPECT_EQ(ctx.key, "key/with/slashes");

  ctx = Make("GET", "/a%20b%2Fc", {}, "bucket.localhost");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "bucket");
  EXPECT_EQ(ctx.key, "a b/c");

  ctx = Make("GET", "/", {}, "my.dotted.bucket.localhost:9000");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "my.dotted.bucket");
  EXPECT_EQ(ctx.key, "");
}

TEST_F(RouterTest, VirtualHostedStyleHostIsCaseInsensitive) {
  options_.domain = "S3.Example.com";
  RequestContext ctx = Make("GET", "/Key", {}, "Photos.s3.EXAMPLE.com:9000");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "photos");
  EXPECT_EQ(ctx.key, "Key");  // keys keep their case
}

TEST_F(RouterTest, VirtualHostedStyleFallsBackToPathStyle) {
  options_.domain = "localhost";
  // The bare domain, a look-alike domain, and an unrelated host use path-style.
  for (std::string host : {"localhost:9000", "localhost", "evillocalhost:9000", ".localhost",
                           "127.0.0.1:9000", "localhost.example.com"}) {
    RequestContext ctx = Make("GET", "/b/k", {}, host);
    ASSERT_TRUE(ResolveAddressing(ctx).ok()) << host;
    EXPECT_EQ(ctx.bucket, "b") << host;
    EXPECT_EQ(ctx.key, "k") << host;
  }
}

TEST_F(RouterTest, VirtualHostedStyleOffWithoutDomain) {
  ASSERT_TRUE(options_.domain.empty());
  RequestContext ctx = Make("GET", "/b/k", {}, "bucket.localhost:9000");
  ASSERT_TRUE(ResolveAddressing(ctx).ok());
  EXPECT_EQ(ctx.bucket, "b");
  EXPECT_EQ(ctx.key, "k");
}

TEST_F(RouterTest, RoutesServiceBucketAndObjectOperations) {
  ExpectRoutes("GET", "/");  // ListBuckets
  ExpectRoutes("PUT", "/bucket");
  ExpectRoutes("HEAD", "/bucket");
  ExpectRoutes("DELETE", "/bucket");
  ExpectRoutes("GET", "/bucket");
  ExpectRoutes("GET", "/bucket", {{"list-type", "2"}, {"prefix", "a/"}});
  ExpectRoutes("GET", "/bucket", {{"location", ""}});
  ExpectRoutes("POST", "/bucket", {{"delete", ""}});
  ExpectRoutes("PUT", "/bucket/key");
  ExpectRoutes("GET", "/bucket/key");
  ExpectRoutes("HEAD", "/bucket/key");
  ExpectRoutes("DELETE", "/bucket/key");
  // versionId=null names the only version of an unversioned object.
  ExpectRoutes("GET", "/bucket/key", {{"versionId", "null"}});
}

TEST_F(RouterTest, GetLocationVirtualHosted) {
  options_.domain = "localhost";
  RequestContext ctx = Make("GET", "/", {{"location", ""}}, "bucket.localhost:9000");
  auto op = RouteRequest(ctx);
  EXPECT_EQ(ctx.bucket, "bucket");
  EXPECT_TRUE(op.ok()) << op.status().ToString();

  RequestContext list = Make("GET", "/", {}, "bucket.localhost:9000");
  auto list_op = RouteRequest(list);
  ASSERT_TRUE(op.ok() && list_op.ok());
  EXPECT_EQ((*op)->Name(), "GetBucketLocation");
  EXPECT_EQ((*list_op)->Name(), "ListObjects");
}

TEST_F(RouterTest, SubresourceSelectsADifferentOperation) {
  RequestContext plain = Make("GET", "/bucket");
  RequestContext location = Make("GET", "/bucket", {{"location", ""}});
  auto a = RouteRequest(plain), b = RouteRequest(location);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->Name(), "ListObjects");
  EXPECT_EQ((*b)->Name(), "GetBucketLocation");
}

TEST_F(RouterTest, PutWithCopySourceIsCopyObject) {
  RequestContext put = Make("PUT", "/bucket/key");
  RequestContext copy = Make("PUT", "/bucket/key");
  copy.http.headers.emplace_back("x-amz-copy-source", "/src-bucket/src-key");
  auto put_op = RouteRequest(put);
  auto copy_op = RouteRequest(copy);
  ASSERT_TRUE(put_op.ok()) << put_op.status().ToString();
  ASSERT_TRUE(copy_op.ok()) << copy_op.status().ToString();
  ASSERT_NE(put_op->get(), nullptr);
  ASSERT_NE(copy_op->get(), nullptr);
  EXPECT_EQ((*put_op)->Name(), "PutObject");
  EXPECT_EQ((*copy_op)->Name(), "CopyObject");
  // PutObject streams the request body; CopyObject reads its source from storage.
  EXPECT_TRUE((*put_op)->wants_body());
  EXPECT_FALSE((*copy_op)->wants_body());
}

TEST_F(RouterTest, GetAndHeadObject) {
  RequestContext get = Make("GET", "/bucket/key");
  RequestContext head = Make("HEAD", "/bucket/key");
  auto g = RouteRequest(get), h = RouteRequest(head);
  ASSERT_TRUE(g.ok() && h.ok());
  EXPECT_EQ((*g)->Name(), "GetObject");
  EXPECT_EQ((*h)->Name(), "HeadObject");
  EXPECT_EQ((*g)->Action(), (*h)->Action());
}

TEST_F(RouterTest, UploadIdTakesPrecedenceOverPartNumber) {
  // UploadPart carries both parameters, in either order.
  for (StringPairs query : {StringPairs{{"partNumber", "1"}, {"uploadId", "abc"}},
                            StringPairs{{"uploadId", "abc"}, {"partNumber", "1"}}}) {
    RequestContext part = Make("PUT", "/bucket/key", query);
    RequestContext part_copy = Make("PUT", "/bucket/key", query);
    part_copy.http.headers.emplace_back("x-amz-copy-source", "/src/key");
    RequestContext put = Make("PUT", "/bucket/key");
    auto a = RouteRequest(part), b = RouteRequest(part_copy), c = RouteRequest(put);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ((*a)->Name(), "UploadPart");
    EXPECT_EQ((*b)->Name(), "UploadPartCopy");
    EXPECT_EQ((*c)->Name(), "PutObject");
    EXPECT_TRUE((*a)->wants_body());
  }
}

TEST_F(RouterTest, PartNumberAloneIsGetObject) {
  RequestContext plain = Make("GET", "/bucket/key");
  RequestContext part = Make("GET", "/bucket/key", {{"partNumber", "2"}});
  auto a = RouteRequest(plain), b = RouteRequest(part);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ((*a)->Name(), "GetObject");
  EXPECT_EQ((*b)->Name(), "GetObject");
}

TEST_F(RouterTest, UnservedSubresourceIsNotImplemented) {
  ExpectRouteError("GET", "/bucket", {{"logging", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("PUT", "/bucket", {{"versioning", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("GET", "/bucket/key", {{"retention", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("GET", "/bucket", {{"cors", ""}}, ErrorCode::kNotImplemented);
  // Served on buckets only.
  ExpectRouteError("GET", "/bucket/key", {{"policy", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("POST", "/bucket/key", {{"restore", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("GET", "/bucket/key", {{"torrent", ""}}, ErrorCode::kNotImplemented);
  ExpectRouteError("GET", "/bucket/key", {{"versionId", "3HL4kqtJlcpXroDTDmJ"}},
                   ErrorCode::kNotImplemented);
  // The subresource is found among ordinary parameters.
  ExpectRouteError("GET", "/bucket", {{"prefix", "x"}, {"website", ""}},
                   ErrorCode::kNotImplemented);
}

TEST_F(RouterTest, ObjectTaggingSubresource) {
  for (const char* method : {"PUT", "GET", "DELETE"}) {
    ExpectRoutes(method, "/bucket/key", {{"tagging", ""}});
  }
  // Not GetObject: ?tagging selects a different operation.
  RequestContext plain = Make("GET", "/bucket/key");
  RequestContext tagging = Make("GET", "/bucket/key", {{"tagging", ""}});
  auto a = RouteRequest(plain), b = RouteRequest(tagging);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->Name(), "GetObject");
  EXPECT_EQ((*b)->Name(), "GetObjectTagging");
  ExpectRouteError("POST", "/bucket/key", {{"tagging", ""}}, ErrorCode::kMethodNotAllowed);
}

// Every routed operation: its S3 name, its IAM action and the resources it needs.
struct NamedRoute {
  std::string method;
  std::string path;
  StringPairs query;
  std::string copy_source;  // x-amz-copy-source, "" for none
  std::string name;
  std::string action;
  std::vector<std::string> resources;  // of Permissions(), in order
};

const NamedRoute kNamedRoutes[] = {
    {"GET", "/", {}, "", "ListBuckets", "s3:ListAllMyBuckets", {"*"}},
    {"PUT", "/b", {}, "", "CreateBucket", "s3:CreateBucket", {"arn:aws:s3:::b"}},
    {"HEAD", "/b", {}, "", "HeadBucket", "s3:ListBucket", {"arn:aws:s3:::b"}},
    {"DELETE", "/b", {}, "", "DeleteBucket", "s3:DeleteBucket", {"arn:aws:s3:::b"}},
    {"GET", "/b", {}, "", "ListObjects", "s3:ListBucket", {"arn:aws:s3:::b"}},
    {"GET", "/b", {{"list-type", "1"}}, "", "ListObjects", "s3:ListBucket", {"arn:aws:s3:::b"}},
    {"GET", "/b", {{"list-type", "2"}}, "", "ListObjectsV2", "s3:ListBucket", {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"location", ""}},
     "",
     "GetBucketLocation",
     "s3:GetBucketLocation",
     {"arn:aws:s3:::b"}},
    {"POST", "/b", {{"delete", ""}}, "", "DeleteObjects", "s3:DeleteObject", {}},
    // The key comes from the form: PostObject is authorized once it has read it.
    {"POST", "/b", {}, "", "PostObject", "s3:PutObject", {"arn:aws:s3:::b/"}},
    {"PUT", "/b/k", {}, "", "PutObject", "s3:PutObject", {"arn:aws:s3:::b/k"}},
    {"PUT",
     "/b/dir/k",
     {},
     "/src/a%20b",
     "CopyObject",
     "s3:PutObject",
     {"arn:aws:s3:::b/dir/k", "arn:aws:s3:::src/a b"}},
    {"GET", "/b/k", {}, "", "GetObject", "s3:GetObject", {"arn:aws:s3:::b/k"}},
    {"GET", "/b/k", {{"partNumber", "1"}}, "", "GetObject", "s3:GetObject", {"arn:aws:s3:::b/k"}},
    {"HEAD", "/b/k", {}, "", "HeadObject", "s3:GetObject", {"arn:aws:s3:::b/k"}},
    {"HEAD", "/b/k", {{"partNumber", "1"}}, "", "HeadObject", "s3:GetObject", {"arn:aws:s3:::b/k"}},
    {"DELETE", "/b/k", {}, "", "DeleteObject", "s3:DeleteObject", {"arn:aws:s3:::b/k"}},
    {"POST",
     "/b/k",
     {{"uploads", ""}},
     "",
     "CreateMultipartUpload",
     "s3:PutObject",
     {"arn:aws:s3:::b/k"}},
    {"PUT",
     "/b/k",
     {{"partNumber", "1"}, {"uploadId", "u"}},
     "",
     "UploadPart",
     "s3:PutObject",
     {"arn:aws:s3:::b/k"}},
    {"PUT",
     "/b/k",
     {{"partNumber", "1"}, {"uploadId", "u"}},
     "src/s/k?versionId=null",
     "UploadPartCopy",
     "s3:PutObject",
     {"arn:aws:s3:::b/k", "arn:aws:s3:::src/s/k"}},
    {"POST",
     "/b/k",
     {{"uploadId", "u"}},
     "",
     "CompleteMultipartUpload",
     "s3:PutObject",
     {"arn:aws:s3:::b/k"}},
    {"DELETE",
     "/b/k",
     {{"uploadId", "u"}},
     "",
     "AbortMultipartUpload",
     "s3:AbortMultipartUpload",
     {"arn:aws:s3:::b/k"}},
    {"GET",
     "/b/k",
     {{"uploadId", "u"}},
     "",
     "ListParts",
     "s3:ListMultipartUploadParts",
     {"arn:aws:s3:::b/k"}},
    {"GET",
     "/b",
     {{"uploads", ""}},
     "",
     "ListMultipartUploads",
     "s3:ListBucketMultipartUploads",
     {"arn:aws:s3:::b"}},
    {"PUT",
     "/b",
     {{"notification", ""}},
     "",
     "PutBucketNotificationConfiguration",
     "s3:PutBucketNotification",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"notification", ""}},
     "",
     "GetBucketNotificationConfiguration",
     "s3:GetBucketNotification",
     {"arn:aws:s3:::b"}},
    {"PUT",
     "/b",
     {{"tagging", ""}},
     "",
     "PutBucketTagging",
     "s3:PutBucketTagging",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"tagging", ""}},
     "",
     "GetBucketTagging",
     "s3:GetBucketTagging",
     {"arn:aws:s3:::b"}},
    {"DELETE",
     "/b",
     {{"tagging", ""}},
     "",
     "DeleteBucketTagging",
     "s3:PutBucketTagging",
     {"arn:aws:s3:::b"}},
    {"PUT",
     "/b/k",
     {{"tagging", ""}},
     "",
     "PutObjectTagging",
     "s3:PutObjectTagging",
     {"arn:aws:s3:::b/k"}},
    {"GET",
     "/b/k",
     {{"tagging", ""}},
     "",
     "GetObjectTagging",
     "s3:GetObjectTagging",
     {"arn:aws:s3:::b/k"}},
    {"DELETE",
     "/b/k",
     {{"tagging", ""}},
     "",
     "DeleteObjectTagging",
     "s3:DeleteObjectTagging",
     {"arn:aws:s3:::b/k"}},
    {"GET", "/b", {{"acl", ""}}, "", "GetBucketAcl", "s3:GetBucketAcl", {"arn:aws:s3:::b"}},
    {"PUT", "/b", {{"acl", ""}}, "", "PutBucketAcl", "s3:PutBucketAcl", {"arn:aws:s3:::b"}},
    {"GET", "/b/k", {{"acl", ""}}, "", "GetObjectAcl", "s3:GetObjectAcl", {"arn:aws:s3:::b/k"}},
    {"PUT", "/b/k", {{"acl", ""}}, "", "PutObjectAcl", "s3:PutObjectAcl", {"arn:aws:s3:::b/k"}},
    {"PUT",
     "/b",
     {{"policy", ""}},
     "",
     "PutBucketPolicy",
     "s3:PutBucketPolicy",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"policy", ""}},
     "",
     "GetBucketPolicy",
     "s3:GetBucketPolicy",
     {"arn:aws:s3:::b"}},
    {"DELETE",
     "/b",
     {{"policy", ""}},
     "",
     "DeleteBucketPolicy",
     "s3:DeleteBucketPolicy",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"policyStatus", ""}},
     "",
     "GetBucketPolicyStatus",
     "s3:GetBucketPolicyStatus",
     {"arn:aws:s3:::b"}},
    {"PUT",
     "/b",
     {{"ownershipControls", ""}},
     "",
     "PutBucketOwnershipControls",
     "s3:PutBucketOwnershipControls",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"ownershipControls", ""}},
     "",
     "GetBucketOwnershipControls",
     "s3:GetBucketOwnershipControls",
     {"arn:aws:s3:::b"}},
    {"DELETE",
     "/b",
     {{"ownershipControls", ""}},
     "",
     "DeleteBucketOwnershipControls",
     "s3:PutBucketOwnershipControls",
     {"arn:aws:s3:::b"}},
    {"PUT",
     "/b",
     {{"publicAccessBlock", ""}},
     "",
     "PutPublicAccessBlock",
     "s3:PutBucketPublicAccessBlock",
     {"arn:aws:s3:::b"}},
    {"GET",
     "/b",
     {{"publicAccessBlock", ""}},
     "",
     "GetPublicAccessBlock",
     "s3:GetBucketPublicAccessBlock",
     {"arn:aws:s3:::b"}},
    {"DELETE",
     "/b",
     {{"publicAccessBlock", ""}},
     "",
     "DeletePublicAccessBlock",
     "s3:PutBucketPublicAccessBlock",
     {"arn:aws:s3:::b"}},
};

TEST_F(RouterTest, EveryOperationKnowsItsNameActionAndResources) {
  std::set<std::string> names;
  for (const NamedRoute& want : kNamedRoutes) {
    std::string what = want.method + " " + want.path + " -> " + want.name;
    RequestContext ctx = Make(want.method, want.path, want.query);
    if (!want.copy_source.empty()) {
      ctx.http.headers.emplace_back("x-amz-copy-source", want.copy_source);
    }
    auto op = RouteRequest(ctx);
    ASSERT_TRUE(op.ok()) << what << ": " << op.status().ToString();
    EXPECT_EQ((*op)->Name(), want.name) << what;
    EXPECT_EQ((*op)->Action(), want.action) << what;
    auto permissions = (*op)->Permissions(ctx);
    ASSERT_TRUE(permissions.ok()) << what << ": " << permissions.status().ToString();
    ASSERT_EQ(permissions->size(), want.resources.size()) << what;
    for (size_t i = 0; i < want.resources.size(); ++i) {
      // The operation's own action first, then s3:GetObject on a copy source.
      EXPECT_EQ((*permissions)[i].action, i == 0 ? want.action : "s3:GetObject") << what;
      EXPECT_EQ((*permissions)[i].resource, want.resources[i]) << what;
    }
    names.insert(want.name);
  }
  EXPECT_EQ(names.size(), kOpCount) << "an operation of operation_names.h is not routed here";
}

TEST_F(RouterTest, VirtualHostedResourcesNameTheBucket) {
  options_.domain = "localhost";
  RequestContext ctx = Make("GET", "/photos/2024/a.jpg", {}, "bucket.localhost:9000");
  auto op = RouteRequest(ctx);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  auto permissions = (*op)->Permissions(ctx);
  ASSERT_TRUE(permissions.ok()) << permissions.status().ToString();
  EXPECT_EQ(*permissions,
            (std::vector<Permission>{{"s3:GetObject", "arn:aws:s3:::bucket/photos/2024/a.jpg"}}));
}

TEST_F(RouterTest, AclHeadersAlsoNeedTheAclPermission) {
  struct Case {
    std::string method, path;
    StringPairs query;
    std::string header;
    std::vector<Permission> want;
  };
  const Case kCases[] = {
      {"PUT",
       "/b/k",
       {},
       "x-amz-acl",
       {{"s3:PutObject", "arn:aws:s3:::b/k"}, {"s3:PutObjectAcl", "arn:aws:s3:::b/k", true}}},
      {"POST",
       "/b/k",
       {{"uploads", ""}},
       "x-amz-grant-read",
       {{"s3:PutObject", "arn:aws:s3:::b/k"}, {"s3:PutObjectAcl", "arn:aws:s3:::b/k", true}}},
      {"PUT",
       "/b",
       {},
       "x-amz-grant-full-control",
       {{"s3:CreateBucket", "arn:aws:s3:::b"}, {"s3:PutBucketAcl", "arn:aws:s3:::b", true}}},
  };
  for (const Case& c : kCases) {
    RequestContext ctx = Make(c.method, c.path, c.query);
    ctx.http.headers.emplace_back(c.header, "private");
    auto op = RouteRequest(ctx);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    auto permissions = (*op)->Permissions(ctx);
    ASSERT_TRUE(permissions.ok()) << permissions.status().ToString();
    EXPECT_EQ(*permissions, c.want) << c.method << " " << c.path;
  }
  RequestContext copy = Make("PUT", "/b/k");
  copy.http.headers.emplace_back("x-amz-copy-source", "/src/key");
  copy.http.headers.emplace_back("x-amz-acl", "private");
  auto op = RouteRequest(copy);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  auto permissions = (*op)->Permissions(copy);
  ASSERT_TRUE(permissions.ok()) << permissions.status().ToString();
  EXPECT_EQ(*permissions, (std::vector<Permission>{{"s3:PutObject", "arn:aws:s3:::b/k"},
                                                   {"s3:GetObject", "arn:aws:s3:::src/key"},
                                                   {"s3:PutObjectAcl", "arn:aws:s3:::b/k", true}}));
}

TEST_F(RouterTest, MalformedCopySourceHasNoPermissions) {
  for (const char* source : {"nokey", "/b/", "/b/%zz"}) {
    RequestContext ctx = Make("PUT", "/b/k");
    ctx.http.headers.emplace_back("x-amz-copy-source", source);
    auto op = RouteRequest(ctx);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    ASSERT_EQ((*op)->Name(), "CopyObject");
    auto permissions = (*op)->Permissions(ctx);
    EXPECT_TRUE(permissions.status().Is(ErrorCode::kInvalidArgument))
        << source << ": " << permissions.status().ToString();
  }
}

TEST_F(RouterTest, UndefinedMethodIsMethodNotAllowed) {
  ExpectRouteError("POST", "/", {}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("PUT", "/", {}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("DELETE", "/", {}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("PATCH", "/bucket", {}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("PATCH", "/bucket/key", {}, ErrorCode::kMethodNotAllowed);
  // ?delete exists on the bucket, but only for POST.
  ExpectRouteError("GET", "/bucket", {{"delete", ""}}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("PUT", "/bucket", {{"delete", ""}}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("POST", "/bucket", {{"policy", ""}}, ErrorCode::kMethodNotAllowed);
  ExpectRouteError("PUT", "/bucket", {{"policyStatus", ""}}, ErrorCode::kMethodNotAllowed);
}

}  // namespace
}  // namespace kumo::s3
