// Multipart uploads: CreateMultipartUpload, AbortMultipartUpload, ListParts,
// ListMultipartUploads. UploadPart and UploadPartCopy are in ops_upload_part.cc,
// CompleteMultipartUpload in ops_multipart_complete.cc.
#include <algorithm>

#include "common/time_util.h"
#include "s3/acl_headers.h"
#include "s3/multipart_checksum.h"
#include "s3/multipart_common.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/tagging.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

Response Xml(XmlWriter& xml) {
  Response r;
  r.Set("Content-Type", "application/xml");
  r.body = xml.Finish();
  return r;
}

void Owner(XmlWriter& xml, const char* element, const std::string& id) {
  xml.Open(element);
  xml.Text("ID", id);
  xml.Text("DisplayName", id);
  xml.Close();
}

class CreateMultipartUpload final : public Operation {
 public:
  CreateMultipartUpload() : Operation(OpId::kCreateMultipartUpload) {}
  Result<std::vector<Permission>> Permissions(const RequestContext& ctx) const override {
    return WithAclPermission(ctx, Operation::Permissions(ctx), "s3:PutObjectAcl");
  }
  Status Prepare(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(ValidateObjectKey(ctx.key));
    KUMO_ASSIGN_OR_RETURN(checksum_, ParseUploadChecksum(ctx.http));
    KUMO_RETURN_IF_ERROR(AttributesFromRequest(ctx.http, &meta_));
    // Owner, ACL and tags are kept with the upload and applied by CompleteMultipartUpload.
    KUMO_ASSIGN_OR_RETURN(auto requested, AclFromHeaders(ctx.http));
    KUMO_ASSIGN_OR_RETURN(NewObjectAcl owned, AclForNewObject(ctx, requested));
    meta_.owner = std::move(owned.owner);
    meta_.acl = std::move(owned.acl);
    return TagsFromRequest(ctx.http, &meta_);
  }

  Result<Response> Execute(RequestContext& ctx) override {
    if (checksum_) meta_.checksums.push_back(EncodeUploadChecksum(*checksum_));
    KUMO_ASSIGN_OR_RETURN(auto upload, ctx.store->multipart()->CreateUpload(
                                           ctx.bucket, ctx.key, std::move(meta_), ctx.now_ms));
    XmlWriter xml("InitiateMultipartUploadResult");
    xml.Text("Bucket", ctx.bucket);
    xml.Text("Key", ctx.key);
    xml.Text("UploadId", upload.upload_id);
    Response r = Xml(xml);
    if (checksum_) {
      r.Set("x-amz-checksum-algorithm", std::string(ChecksumUpperName(checksum_->algorithm)));
      r.Set("x-amz-checksum-type", std::string(ChecksumTypeName(checksum_->type)));
    }
    return r;
  }

 private:
  storage::ObjectMeta meta_;
  std::optional<UploadChecksum> checksum_;
};

class AbortMultipartUpload final : public Operation {
 public:
  AbortMultipartUpload() : Operation(OpId::kAbortMultipartUpload) {}
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_RETURN_IF_ERROR(
        ctx.store->multipart()->AbortUpload(ctx.bucket, ctx.key, *ctx.Query("uploadId")));
    Response r;
    r.status = 204;
    return r;
  }
};

class ListParts final : public Operation {
 public:
  ListParts() : Operation(OpId::kListParts) {}
  Status Prepare(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(marker_, QueryInt(ctx, "part-number-marker", 0, 0, kMaxParts));
    KUMO_ASSIGN_OR_RETURN(int max, QueryInt(ctx, "max-parts", 1000, 0, 1000000));
    max_parts_ = static_cast<size_t>(std::min(max, 1000));
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    const std::string& upload_id = *ctx.Query("uploadId");
    auto* mp = ctx.store->multipart();
    KUMO_ASSIGN_OR_RETURN(auto upload, mp->GetUpload(ctx.bucket, ctx.key, upload_id));
    bool truncated = false;
    KUMO_ASSIGN_OR_RETURN(
        auto parts, mp->ListParts(ctx.bucket, ctx.key, upload_id, marker_, max_parts_, &truncated));
    XmlWriter xml("ListPartsResult");
    xml.Text("Bucket", ctx.bucket);
    xml.Text("Key", ctx.key);
    xml.Text("UploadId", upload_id);
    Owner(xml, "Initiator", upload.meta.owner);
    Owner(xml, "Owner", upload.meta.owner);
    xml.Text("StorageClass", "STANDARD");
    xml.Text("PartNumberMarker", std::to_string(marker_));
    if (!parts.empty()) {
      xml.Text("NextPartNumberMarker", std::to_string(parts.back().part_number));
    }
    xml.Text("MaxParts", std::to_string(max_parts_));
    xml.Text("IsTruncated", truncated ? "true" : "false");
    if (auto declared = DecodeUploadChecksum(upload.meta)) {
      xml.Text("ChecksumAlgorithm", ChecksumUpperName(declared->algorithm));
      xml.Text("ChecksumType", ChecksumTypeName(declared->type));
    }
    for (const auto& p : parts) {
      xml.Open("Part");
      xml.Text("PartNumber", std::to_string(p.part_number));
      xml.Text("LastModified", FormatIso8601Millis(p.mtime_ms));
      xml.Text("ETag", QuotedEtag(p.etag));
      xml.Text("Size", std::to_string(p.size));
      for (const auto& [alg, value] : p.checksums) {
        if (auto a = ParseChecksumAlgorithm(alg)) xml.Text(ChecksumElementName(*a), value);
      }
      xml.Close();
    }
    return Xml(xml);
  }

 private:
  int marker_ = 0;
  size_t max_parts_ = 1000;
};

class ListMultipartUploads final : public Operation {
 public:
  ListMultipartUploads() : Operation(OpId::kListMultipartUploads) {}
  Status Prepare(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(int max, QueryInt(ctx, "max-uploads", 1000, 0, 1000000));
    options_.max_uploads = static_cast<size_t>(std::min(max, 1000));
    if (auto* v = ctx.Query("prefix")) options_.prefix = *v;
    if (auto* v = ctx.Query("delimiter")) options_.delimiter = *v;
    if (auto* v = ctx.Query("key-marker")) options_.key_marker = *v;
    if (auto* v = ctx.Query("upload-id-marker")) options_.upload_id_marker = *v;
    return Status::OK();
  }

  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(auto list, ctx.store->multipart()->ListUploads(ctx.bucket, options_));
    XmlWriter xml("ListMultipartUploadsResult");
    xml.Text("Bucket", ctx.bucket);
    xml.Text("KeyMarker", options_.key_marker);
    xml.Text("UploadIdMarker", options_.upload_id_marker);
    xml.Text("NextKeyMarker", list.next_key_marker);
    xml.Text("NextUploadIdMarker", list.next_upload_id_marker);
    if (!options_.prefix.empty()) xml.Text("Prefix", options_.prefix);
    if (!options_.delimiter.empty()) xml.Text("Delimiter", options_.delimiter);
    xml.Text("MaxUploads", std::to_string(options_.max_uploads));
    xml.Text("IsTruncated", list.truncated ? "true" : "false");
    for (const auto& u : list.uploads) {
      xml.Open("Upload");
      xml.Text("Key", u.key);
      xml.Text("UploadId", u.upload_id);
      Owner(xml, "Initiator", u.meta.owner);
      Owner(xml, "Owner", u.meta.owner);
      xml.Text("StorageClass", "STANDARD");
      xml.Text("Initiated", FormatIso8601Millis(u.initiated_ms));
      xml.Close();
    }
    for (const auto& p : list.common_prefixes) {
      xml.Open("CommonPrefixes");
      xml.Text("Prefix", p);
      xml.Close();
    }
    return Xml(xml);
  }

 private:
  storage::UploadListOptions options_;
};

}  // namespace

std::unique_ptr<Operation> MakeCreateMultipartUpload() {
  return std::make_unique<CreateMultipartUpload>();
}
std::unique_ptr<Operation> MakeAbortMultipartUpload() {
  return std::make_unique<AbortMultipartUpload>();
}
std::unique_ptr<Operation> MakeListParts() { return std::make_unique<ListParts>(); }
std::unique_ptr<Operation> MakeListMultipartUploads() {
  return std::make_unique<ListMultipartUploads>();
}

}  // namespace kumo::s3
