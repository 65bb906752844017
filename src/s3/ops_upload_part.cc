// UploadPart (body streamed to the part's extent file) and UploadPartCopy (a byte range
// of an existing object, x-amz-copy-source-range).
#include "common/hash.h"
#include "common/time_util.h"
#include "s3/copy_source.h"
#include "s3/multipart_checksum.h"
#include "s3/multipart_common.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/range.h"
#include "s3/request_checksum.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr uint64_t kMaxPartSize = 5ull << 30;

class UploadPart final : public Operation {
 public:
  UploadPart() : Operation(OpId::kUploadPart) {}
  Status Prepare(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(int number, QueryInt(ctx, "partNumber", 0, 1, kMaxParts));
    if (ctx.Header("content-length") == nullptr &&
        ctx.Header("x-amz-decoded-content-length") == nullptr &&
        ctx.http.HeaderOr("transfer-encoding", "").find("chunked") == std::string::npos) {
      return {ErrorCode::kMissingContentLength, "You must provide the Content-Length HTTP header."};
    }
    const std::string& upload_id = *ctx.Query("uploadId");
    auto* mp = ctx.store->multipart();
    KUMO_ASSIGN_OR_RETURN(auto upload, mp->GetUpload(ctx.bucket, ctx.key, upload_id));
    // The part's checksum must fit the upload's before any body byte is read; the body
    // pipeline verifies its value. A FULL_OBJECT upload's part without one is summed here.
    auto declared = DecodeUploadChecksum(upload.meta);
    KUMO_ASSIGN_OR_RETURN(auto part_checksum, ParseRequestChecksum(ctx.http));
    KUMO_RETURN_IF_ERROR(CheckPartChecksum(declared, part_checksum));
    if (declared && !part_checksum) {
      own_checksum_ = std::make_unique<Checksummer>(declared->algorithm);
    }
    KUMO_ASSIGN_OR_RETURN(writer_, mp->NewPartWriter(ctx.bucket, ctx.key, upload_id, number));
    part_.part_number = number;
    return Status::OK();
  }

  bool wants_body() const override { return true; }

  Status Consume(RequestContext& ctx, std::string_view data) override {
    if (ctx.body_bytes > kMaxPartSize) {
      return {ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size"};
    }
    if (own_checksum_) own_checksum_->Update(data);
    return writer_->Append(data);
  }

  Result<Response> Execute(RequestContext& ctx) override {
    part_.etag = HexEncode(ctx.body_md5);
    part_.mtime_ms = ctx.now_ms;
    part_.checksums = ctx.checksums;
    if (own_checksum_) {
      part_.checksums.emplace_back(std::string(ChecksumName(own_checksum_->algorithm())),
                                   own_checksum_->FinishBase64());
    }
    KUMO_ASSIGN_OR_RETURN(auto stored, writer_->Commit(std::move(part_)));
    Response r;
    r.Set("ETag", QuotedEtag(stored.etag));
    for (const auto& [alg, value] : stored.checksums) r.Set("x-amz-checksum-" + alg, value);
    return r;
  }

 private:
  storage::PartInfo part_;
  std::unique_ptr<storage::PartWriter> writer_;
  std::unique_ptr<Checksummer> own_checksum_;
};

class UploadPartCopy final : public Operation {
 public:
  UploadPartCopy() : Operation(OpId::kUploadPartCopy) {}
  // s3:PutObject on the destination, then s3:GetObject on the source.
  Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const override {
    return WithCopySourcePermission(ctx, Operation::Permissions(ctx));
  }
  Status Prepare(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(number_, QueryInt(ctx, "partNumber", 0, 1, kMaxParts));
    KUMO_ASSIGN_OR_RETURN(source_, ParseCopySource(*ctx.Header("x-amz-copy-source")));
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    auto* mp = ctx.store->multipart();
    const std::string& upload_id = *ctx.Query("uploadId");
    KUMO_ASSIGN_OR_RETURN(auto upload, mp->GetUpload(ctx.bucket, ctx.key, upload_id));
    KUMO_ASSIGN_OR_RETURN(auto reader, OpenCopySource(ctx, source_));
    uint64_t size = reader->meta().size;
    uint64_t first = 0, length = size;
    if (const std::string* range = ctx.Header("x-amz-copy-source-range")) {
      // Unlike GET, a copy range must be "bytes=first-last" and lie inside the source.
      auto resolved = ResolveRange(*range, size);
      if (!resolved.ok() || !*resolved || range->find("=-") != std::string::npos ||
          range->back() == '-') {
        return Status(ErrorCode::kInvalidArgument,
                      "The x-amz-copy-source-range value must be of the form bytes=first-last "
                      "where first and last are the zero-based offsets of the first and last "
                      "bytes to copy");
      }
      first = (*resolved)->first;
      length = (*resolved)->length;
      uint64_t last_requested = std::stoull(range->substr(range->find('-') + 1));
      if (last_requested >= size) {
        return Status(
            ErrorCode::kInvalidArgument,
            "Range specified is not valid for source object of size: " + std::to_string(size));
      }
    }
    if (length > kMaxPartSize) {
      return Status(ErrorCode::kEntityTooLarge,
                    "Your proposed upload exceeds the maximum allowed size");
    }
    KUMO_ASSIGN_OR_RETURN(auto writer, mp->NewPartWriter(ctx.bucket, ctx.key, upload_id, number_));
    // An upload that declared a checksum algorithm gets the copied part's checksum too.
    std::unique_ptr<Checksummer> sum;
    if (auto declared = DecodeUploadChecksum(upload.meta)) {
      sum = std::make_unique<Checksummer>(declared->algorithm);
    }
    KUMO_ASSIGN_OR_RETURN(std::string md5, CopyRange(*reader, first, length, [&](auto chunk) {
                            if (sum) sum->Update(chunk);
                            return writer->Append(chunk);
                          }));
    storage::PartInfo part;
    part.part_number = number_;
    part.etag = HexEncode(md5);
    part.mtime_ms = ctx.now_ms;
    if (sum) part.checksums.emplace_back(ChecksumName(sum->algorithm()), sum->FinishBase64());
    KUMO_ASSIGN_OR_RETURN(auto stored, writer->Commit(std::move(part)));
    XmlWriter xml("CopyPartResult");
    xml.Text("LastModified", FormatIso8601Millis(stored.mtime_ms));
    xml.Text("ETag", QuotedEtag(stored.etag));
    for (const auto& [alg, value] : stored.checksums) {
      if (auto a = ParseChecksumAlgorithm(alg)) xml.Text(ChecksumElementName(*a), value);
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = xml.Finish();
    return r;
  }

 private:
  int number_ = 0;
  CopySource source_;
};

}  // namespace

std::unique_ptr<Operation> MakeUploadPart() { return std::make_unique<UploadPart>(); }
std::unique_ptr<Operation> MakeUploadPartCopy() { return std::make_unique<UploadPartCopy>(); }

}  // namespace kumo::s3
