// GetObject and HeadObject: conditionals, a single byte range, response-* overrides,
// and a body streamed from storage.
#include "s3/conditional.h"
#include "s3/multipart_common.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/range.h"

namespace kumo::s3 {

namespace {

// Reads [offset, offset + length) of an object sequentially.
class ObjectBodySource final : public BodySource {
 public:
  ObjectBodySource(std::unique_ptr<storage::ObjectReader> reader, uint64_t offset, uint64_t length)
      : reader_(std::move(reader)), next_(offset), end_(offset + length) {}

  Result<size_t> Read(char* buf, size_t n) override {
    if (next_ >= end_) return size_t{0};
    size_t want = static_cast<size_t>(std::min<uint64_t>(n, end_ - next_));
    KUMO_ASSIGN_OR_RETURN(size_t got, reader_->ReadAt(next_, buf, want));
    if (got == 0) return Status::Corruption("object shorter than its index record");
    next_ += got;
    return got;
  }

 private:
  std::unique_ptr<storage::ObjectReader> reader_;
  uint64_t next_;
  uint64_t end_;
};

constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
    {"response-content-type", "Content-Type"},
    {"response-content-language", "Content-Language"},
    {"response-expires", "Expires"},
    {"response-cache-control", "Cache-Control"},
    {"response-content-disposition", "Content-Disposition"},
    {"response-content-encoding", "Content-Encoding"},
};

void ApplyOverrides(const RequestContext& ctx, Response* r) {
  for (const auto& [param, header] : kOverrides) {
    const std::string* v = ctx.Query(param);
    if (v == nullptr) continue;
    std::erase_if(r->headers, [&](const auto& h) { return h.first == header; });
    r->Set(std::string(header), *v);
  }
}

// "bytes first-last/size" for a non-empty range.
std::string ContentRange(uint64_t first, uint64_t length, uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" +
         std::to_string(size);
}

class GetObject final : public Operation {
 public:
  explicit GetObject(OpId id) : Operation(id) {}
  Result<Response> Execute(RequestContext& ctx) override {
    std::unique_ptr<storage::ObjectReader> reader;
    storage::ObjectMeta meta;
    if (ctx.is_head()) {
      KUMO_ASSIGN_OR_RETURN(meta, ctx.store->HeadObject(ctx.bucket, ctx.key));
    } else {
      KUMO_ASSIGN_OR_RETURN(reader, ctx.store->OpenObject(ctx.bucket, ctx.key));
      meta = reader->meta();
    }
    Conditions c{ctx.Header("if-match"), ctx.Header("if-none-match"),
                 ctx.Header("if-modified-since"), ctx.Header("if-unmodified-since")};
    Status cond = EvaluateConditions(c, meta.etag, meta.mtime_ms / 1000);
    if (cond.Is(ErrorCode::kNotModified)) {
      Response r;
      r.status = 304;
      r.omit_body = true;
      r.Set("ETag", QuotedEtag(meta.etag));
      return r;
    }
    KUMO_RETURN_IF_ERROR(cond);

    Response r;
    // A checksum describes the whole object: it is not sent with a part or a range.
    bool with_checksums = ctx.http.HeaderOr("x-amz-checksum-mode", "") == "ENABLED" &&
                          !ctx.HasQuery("partNumber") && ctx.Header("range") == nullptr;
    AddObjectHeaders(meta, with_checksums, &r);
    uint64_t first = 0, length = meta.size;
    bool multipart = meta.etag.find('-') != std::string::npos;
    if (multipart) r.Set("x-amz-mp-parts-count", std::to_string(meta.extents.size()));
    if (ctx.HasQuery("partNumber")) {
      KUMO_ASSIGN_OR_RETURN(int part, QueryInt(ctx, "partNumber", 1, 1, kMaxParts));
      size_t parts = multipart ? meta.extents.size() : 1;
      if (static_cast<size_t>(part) > parts) {
        return Status(ErrorCode::kInvalidPartNumber, "The requested partnumber is not satisfiable");
      }
      if (multipart) {
        for (int i = 0; i + 1 < part; ++i) first += meta.extents[static_cast<size_t>(i)].length;
        length = meta.extents[static_cast<size_t>(part - 1)].length;
      }
      // An empty part (a zero-length object, or an empty last part) has no byte range
      // to name: S3 answers 200 with the empty body rather than a 206 whose
      // Content-Range would have to end before it starts.
      if (length > 0) {
        r.status = 206;
        r.Set("Content-Range", ContentRange(first, length, meta.size));
      }
    } else if (const std::string* range = ctx.Header("range")) {
      KUMO_ASSIGN_OR_RETURN(auto resolved, ResolveRange(*range, meta.size));
      if (resolved) {
        first = resolved->first;
        length = resolved->length;
        r.status = 206;
        r.Set("Content-Range", ContentRange(first, length, meta.size));
      }
    }
    ApplyOverrides(ctx, &r);
    r.stream_length = length;
    if (ctx.is_head()) {
      r.omit_body = true;
      r.stream = std::make_unique<ObjectBodySource>(nullptr, 0, 0);
    } else {
      r.stream = std::make_unique<ObjectBodySource>(std::move(reader), first, length);
    }
    return r;
  }
};

class DeleteObject final : public Operation {
 public:
  DeleteObject() : Operation(OpId::kDeleteObject) {}
  Result<Response> Execute(RequestContext& ctx) override {
    storage::EventIntent event = ctx.Event("ObjectRemoved:Delete");
    KUMO_RETURN_IF_ERROR(ctx.store->DeleteObject(ctx.bucket, ctx.key, &event));
    Response r;
    r.status = 204;
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakeGetObject() { return std::make_unique<GetObject>(OpId::kGetObject); }
std::unique_ptr<Operation> MakeHeadObject() {
  return std::make_unique<GetObject>(OpId::kHeadObject);
}
std::unique_ptr<Operation> MakeDeleteObject() { return std::make_unique<DeleteObject>(); }

}  // namespace kumo::s3
