// ListObjects (v1) and ListObjectsV2: prefix, delimiter, max-keys, marker /
// start-after / continuation-token, encoding-type=url, fetch-owner.
#include <charconv>

#include "common/hash.h"
#include "common/time_util.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr size_t kMaxKeysLimit = 1000;

class ListObjects final : public Operation {
 public:
  explicit ListObjects(OpId id) : Operation(id) {}
  Status Prepare(RequestContext& ctx) override {
    v2_ = id() == OpId::kListObjectsV2;  // list-type=2 (router.cc)
    if (const std::string* mk = ctx.Query("max-keys")) {
      int64_t v = -1;
      auto [p, ec] = std::from_chars(mk->data(), mk->data() + mk->size(), v);
      if (ec != std::errc() || p != mk->data() + mk->size() || v < 0) {
        return {ErrorCode::kInvalidArgument,
                "Provided max-keys not an integer or within "
                "integer range"};
      }
      max_keys_ = std::min<size_t>(static_cast<size_t>(v), kMaxKeysLimit);
    }
    if (const std::string* et = ctx.Query("encoding-type")) {
      if (*et != "url") return {ErrorCode::kInvalidArgument, "Invalid Encoding Method specified"};
      url_encode_ = true;
    }
    if (v2_) {
      if (const std::string* token = ctx.Query("continuation-token")) {
        if (!Base64Decode(*token, &start_after_) || token->empty()) {
          return {ErrorCode::kInvalidArgument, "The continuation token provided is incorrect"};
        }
      } else if (const std::string* sa = ctx.Query("start-after")) {
        start_after_ = *sa;
      }
    } else if (const std::string* marker = ctx.Query("marker")) {
      start_after_ = *marker;
    }
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    storage::ListOptions o;
    o.prefix = ctx.Query("prefix") ? *ctx.Query("prefix") : "";
    o.delimiter = ctx.Query("delimiter") ? *ctx.Query("delimiter") : "";
    o.start_after = start_after_;
    o.max_keys = max_keys_;
    storage::ListResult list;
    if (max_keys_ > 0) {
      KUMO_ASSIGN_OR_RETURN(list, ctx.store->ListObjects(ctx.bucket, o));
    } else {
      KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.store->GetBucket(ctx.bucket));
      (void)bucket;
    }
    auto enc = [&](const std::string& s) { return url_encode_ ? UrlEncode(s, true) : s; };

    XmlWriter xml("ListBucketResult");
    xml.Text("Name", ctx.bucket);
    xml.Text("Prefix", enc(o.prefix));
    if (v2_) {
      if (const std::string* sa = ctx.Query("start-after")) xml.Text("StartAfter", enc(*sa));
      if (const std::string* t = ctx.Query("continuation-token")) {
        xml.Text("ContinuationToken", *t);
      }
      xml.Text("KeyCount", std::to_string(list.objects.size() + list.common_prefixes.size()));
    } else {
      xml.Text("Marker", enc(start_after_));
    }
    xml.Text("MaxKeys", std::to_string(max_keys_));
    if (!o.delimiter.empty()) xml.Text("Delimiter", enc(o.delimiter));
    if (url_encode_) xml.Text("EncodingType", "url");
    xml.Text("IsTruncated", list.truncated ? "true" : "false");
    if (list.truncated) {
      if (v2_) {
        xml.Text("NextContinuationToken", Base64Encode(list.last_returned));
      } else {
        xml.Text("NextMarker", enc(list.last_returned));
      }
    }
    bool owner = !v2_ || (ctx.Query("fetch-owner") && *ctx.Query("fetch-owner") == "true");
    for (const auto& e : list.objects) {
      xml.Open("Contents");
      xml.Text("Key", enc(e.key));
      xml.Text("LastModified", FormatIso8601Millis(e.meta.mtime_ms));
      xml.Text("ETag", QuotedEtag(e.meta.etag));
      xml.Text("Size", std::to_string(e.meta.size));
      xml.Text("StorageClass", "STANDARD");
      if (owner) {
        xml.Open("Owner");
        xml.Text("ID", e.meta.owner);
        xml.Text("DisplayName", e.meta.owner);
        xml.Close();
      }
      xml.Close();
    }
    for (const auto& p : list.common_prefixes) {
      xml.Open("CommonPrefixes");
      xml.Text("Prefix", enc(p));
      xml.Close();
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = xml.Finish();
    return r;
  }

 private:
  bool v2_ = false;
  bool url_encode_ = false;
  size_t max_keys_ = kMaxKeysLimit;
  std::string start_after_;
};

}  // namespace

std::unique_ptr<Operation> MakeListObjects() {
  return std::make_unique<ListObjects>(OpId::kListObjects);
}
std::unique_ptr<Operation> MakeListObjectsV2() {
  return std::make_unique<ListObjects>(OpId::kListObjectsV2);
}

}  // namespace kumo::s3
