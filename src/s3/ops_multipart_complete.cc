// CompleteMultipartUpload: validates the part list (order, ETags, sizes, part
// checksums), computes the multipart ETag and the object checksum, and commits the
// object in one index batch.
#include <algorithm>

#include "common/hash.h"
#include "s3/multipart_checksum.h"
#include "s3/multipart_common.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/request_xml.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

const std::string* FindChecksum(const StringPairs& sums, std::string_view alg) {
  for (const auto& [name, value] : sums) {
    if (name == alg) return &value;
  }
  return nullptr;
}

Status InvalidPart() {
  return {ErrorCode::kInvalidPart,
          "One or more of the specified parts could not be found. The part may not have been "
          "uploaded, or the specified entity tag may not match the part's entity tag."};
}

// Checks the part checksums a CompleteMultipartUpload names against the stored part and
// collects what the object checksum is computed from.
Status MatchPartChecksums(const std::optional<UploadChecksum>& declared, const RequestedPart& want,
                          const storage::PartInfo& stored, std::vector<PartChecksum>* sums) {
  for (const auto& [alg, value] : want.checksums) {
    const std::string* have = FindChecksum(stored.checksums, alg);
    if (have == nullptr ? declared.has_value() : *have != value) return InvalidPart();
  }
  if (!declared) return Status::OK();
  std::string_view alg = ChecksumName(declared->algorithm);
  if (declared->type == ChecksumType::kComposite && !FindChecksum(want.checksums, alg)) {
    return {ErrorCode::kInvalidRequest,
            "The upload was created using a " + std::string(alg) +
                " checksum. The complete request must include the checksum for each part. It "
                "was missing for part " +
                std::to_string(want.number) + " in the request."};
  }
  const std::string* have = FindChecksum(stored.checksums, alg);
  if (have == nullptr) return InvalidPart();
  sums->push_back({*have, stored.size});
  return Status::OK();
}

// The completed object's checksum, checked against a whole-object checksum or type the
// request names in headers.
Result<StringPairs> CompletedChecksum(const RequestContext& ctx,
                                      const std::optional<UploadChecksum>& declared,
                                      const std::vector<PartChecksum>& sums) {
  if (!declared) return StringPairs{};
  if (const std::string* type = ctx.Header("x-amz-checksum-type")) {
    if (*type != ChecksumTypeName(declared->type)) {
      return Status(ErrorCode::kInvalidRequest,
                    "The upload was created using the " +
                        std::string(ChecksumTypeName(declared->type)) +
                        " checksum mode. The complete request must use the same checksum mode.");
    }
  }
  KUMO_ASSIGN_OR_RETURN(std::string value, ObjectChecksum(*declared, sums));
  std::string name(ChecksumName(declared->algorithm));
  if (const std::string* given = ctx.Header("x-amz-checksum-" + name)) {
    if (*given != value) {
      return Status(ErrorCode::kBadDigest,
                    "The " + std::string(ChecksumUpperName(declared->algorithm)) +
                        " you specified did not match the calculated checksum.");
    }
  }
  return StringPairs{{name, value}};
}

Status CheckOrder(const std::vector<RequestedPart>& requested) {
  for (size_t i = 1; i < requested.size(); ++i) {
    if (requested[i].number <= requested[i - 1].number) {
      return Status(ErrorCode::kInvalidPartOrder,
                    "The list of parts was not in ascending order. The parts list must be "
                    "specified in order by part number.");
    }
  }
  return Status::OK();
}

// Checks the stored part records (stored[i] is requested[i]'s) against the request and
// sets the object's ETag and checksums from them. Runs under the upload's lock (see
// storage::MultipartStore::PartValidator), on exactly the records that get committed.
Status ValidateParts(const RequestContext& ctx, const std::vector<RequestedPart>& requested,
                     const std::vector<storage::PartInfo>& stored, storage::ObjectMeta* meta) {
  const auto declared = DecodeUploadChecksum(*meta);
  std::vector<PartChecksum> sums;
  std::string md5s;
  for (size_t i = 0; i < requested.size(); ++i) {
    const RequestedPart& want = requested[i];
    const storage::PartInfo& have = stored[i];
    if (have.part_number != want.number || have.etag != want.etag) return InvalidPart();
    KUMO_RETURN_IF_ERROR(MatchPartChecksums(declared, want, have, &sums));
    if (i + 1 < requested.size() && have.size < ctx.options->min_part_size) {
      return Status(ErrorCode::kEntityTooSmall,
                    "Your proposed upload is smaller than the minimum allowed object size.");
    }
    std::string raw;
    if (!HexDecode(have.etag, &raw)) return Status::Corruption("stored part etag is not hex");
    md5s += raw;
  }
  KUMO_ASSIGN_OR_RETURN(meta->checksums, CompletedChecksum(ctx, declared, sums));
  meta->etag = HexEncode(Md5(md5s)) + "-" + std::to_string(requested.size());
  return Status::OK();
}

class CompleteMultipartUpload final : public BufferedBodyOperation {
 public:
  CompleteMultipartUpload() : BufferedBodyOperation(OpId::kCompleteMultipartUpload) {}
  Result<Response> Execute(RequestContext& ctx) override {
    const std::string& upload_id = *ctx.Query("uploadId");
    KUMO_ASSIGN_OR_RETURN(auto requested, ParseCompleteMultipartUpload(body_));
    KUMO_RETURN_IF_ERROR(CheckOrder(requested));
    auto* mp = ctx.store->multipart();
    // The upload's attributes are fixed at creation; its parts are read (and checked)
    // under its lock by CompleteUpload.
    KUMO_ASSIGN_OR_RETURN(auto upload, mp->GetUpload(ctx.bucket, ctx.key, upload_id));
    std::vector<int> numbers;
    numbers.reserve(requested.size());
    for (const RequestedPart& p : requested) numbers.push_back(p.number);
    storage::ObjectMeta meta = upload.meta;
    meta.mtime_ms = ctx.now_ms;
    storage::EventIntent event = ctx.Event("ObjectCreated:CompleteMultipartUpload");
    auto validate = [&](const std::vector<storage::PartInfo>& stored, storage::ObjectMeta* m) {
      return ValidateParts(ctx, requested, stored, m);
    };
    KUMO_ASSIGN_OR_RETURN(auto done, mp->CompleteUpload(ctx.bucket, ctx.key, upload_id, numbers,
                                                        std::move(meta), &event, validate));
    XmlWriter xml("CompleteMultipartUploadResult");
    xml.Text("Location", ctx.http.SelfOrigin()
                             .append("/")
                             .append(ctx.bucket)
                             .append("/")
                             .append(UrlEncode(ctx.key, true)));
    xml.Text("Bucket", ctx.bucket);
    xml.Text("Key", ctx.key);
    xml.Text("ETag", QuotedEtag(done.etag));
    for (const auto& [alg, value] : done.checksums) {
      auto a = ParseChecksumAlgorithm(alg);
      if (!a) continue;
      xml.Text(ChecksumElementName(*a), value);
      xml.Text("ChecksumType", ChecksumTypeName(StoredChecksumType(value)));
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = xml.Finish();
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakeCompleteMultipartUpload() {
  return std::make_unique<CompleteMultipartUpload>();
}

}  // namespace kumo::s3
