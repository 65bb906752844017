// PostObject: browser-based uploads (POST /bucket with a multipart/form-data body). The
// form authenticates itself with a SigV4-signed POST policy, so the service skips
// header/query authentication for these requests (service.cc); a form with neither policy
// nor signature is anonymous, for buckets anyone may write to. The fields before the
// file are buffered (20 KB at most); when the file part begins the form is authenticated
// and checked against its policy, then the file streams into a storage writer that is
// committed only once the whole body has been parsed and verified.
#include <algorithm>
#include <optional>

#include "auth/post_policy.h"
#include "common/hash.h"
#include "s3/acl_headers.h"
#include "s3/authorize.h"
#include "s3/checksum.h"
#include "s3/form_data.h"
#include "s3/object_headers.h"
#include "s3/ops.h"
#include "s3/tagging.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr size_t kMaxPreFileBytes = 20 * 1024;

class PostObject final : public Operation, private FormDataHandler {
 public:
  PostObject() : Operation(OpId::kPostObject) {}
  Status Prepare(RequestContext& ctx) override {
    std::string type = ctx.http.HeaderOr("content-type", "");
    auto boundary = FormDataBoundary(type);
    if (!boundary) {
      if (FormDataBoundary(type + "; boundary=x")) {
        return {ErrorCode::kMalformedPOSTRequest,
                "The body of your POST request is not well-formed multipart/form-data."};
      }
      return {ErrorCode::kPreconditionFailed,
              "At least one of the pre-conditions you specified did not hold: Bucket POST must "
              "be of the enclosure-type multipart/form-data"};
    }
    KUMO_RETURN_IF_ERROR(ctx.store->GetBucket(ctx.bucket).status());
    FormDataHandler* handler = this;
    parser_.emplace(std::move(*boundary), handler, "file", kMaxPreFileBytes);
    return Status::OK();
  }

  bool wants_body() const override { return true; }

  Status Consume(RequestContext& ctx, std::string_view data) override {
    ctx_ = &ctx;
    return parser_->Feed(data);
  }

  Result<Response> Execute(RequestContext& ctx) override;

 private:
  Status OnField(const FormPart& part, std::string value) override;
  Status OnFileBegin(const FormPart& part) override;
  Status OnFileData(std::string_view data) override;
  Status OnFileEnd() override { return Status::OK(); }

  // Authenticates the form and checks it against its policy; fills ctx_->key, meta_.
  Status AuthenticateForm(const std::string& filename);
  Response Render(const RequestContext& ctx, const storage::ObjectMeta& stored) const;

  const std::string* Field(std::string_view name) const {
    for (const auto& [n, v] : fields_) {
      if (n == name) return &v;
    }
    return nullptr;
  }

  RequestContext* ctx_ = nullptr;
  std::optional<FormDataParser> parser_;
  StringPairs fields_;  // lower-case names, in form order
  auth::PostPolicy policy_;
  storage::ObjectMeta meta_;
  std::unique_ptr<Checksummer> checksum_;
  std::string checksum_expected_;
  std::unique_ptr<storage::ObjectWriter> writer_;
  Hasher md5_{Hasher::Algorithm::kMd5};
  uint64_t size_ = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status PostObject::OnField(const FormPart& part, std::string value) {
  std::string name = Lower(part.name);
  if (Field(name) != nullptr) {
    return Status::InvalidArgument("The form field '" + name + "' appears more than once.");
  }
  fields_.emplace_back(std::move(name), std::move(value));
  return Status::OK();
}

Status PostObject::OnFileBegin(const FormPart& part) {
  KUMO_RETURN_IF_ERROR(AuthenticateForm(part.filename));
  KUMO_ASSIGN_OR_RETURN(writer_, ctx_->store->NewObjectWriter(ctx_->bucket, ctx_->key, -1));
  return Status::OK();
}

Status PostObject::OnFileData(std::string_view data) {
  size_ += data.size();
  KUMO_RETURN_IF_ERROR(auth::CheckPostContentLength(policy_, size_, /*final=*/false));
  md5_.Update(data);
  if (checksum_) checksum_->Update(data);
  return writer_->Append(data);
}

Status PostObject::AuthenticateForm(const std::string& filename) {
  const std::string* policy = Field("policy");
  // A form without policy or signature is an anonymous upload: only a bucket whose ACL
  // (or policy) lets anyone write takes it (Authorize below).
  const bool anonymous = policy == nullptr && Field("x-amz-signature") == nullptr;
  if (anonymous) {
    ctx_->auth.access_key.clear();
  } else {
    KUMO_ASSIGN_OR_RETURN(ctx_->auth.access_key,
                          auth::VerifyPostSignature(fields_, *ctx_->credentials));
    KUMO_ASSIGN_OR_RETURN(policy_, auth::ParsePostPolicy(*policy));
  }
  auto key = std::find_if(fields_.begin(), fields_.end(), [](auto& f) { return f.first == "key"; });
  if (key == fields_.end()) {
    return Status::InvalidArgument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the "
        "order of the fields.");
  }
  // The policy judges the key the object gets, after ${filename} substitution.
  for (size_t at; (at = key->second.find("${filename}")) != std::string::npos;) {
    key->second.replace(at, 11, filename);
  }
  if (!anonymous) {
    KUMO_RETURN_IF_ERROR(
        auth::CheckPostPolicy(policy_, fields_, ctx_->bucket, ctx_->now_ms / 1000));
  }
  KUMO_RETURN_IF_ERROR(ValidateObjectKey(key->second));
  ctx_->key = key->second;
  KUMO_RETURN_IF_ERROR(s3::Authorize(*ctx_, *this));  // now that principal and key are known
  std::optional<RequestedAcl> requested;
  if (const std::string* acl = Field("acl")) {
    KUMO_ASSIGN_OR_RETURN(requested, CannedRequest(*acl));
  }
  KUMO_ASSIGN_OR_RETURN(NewObjectAcl owned, AclForNewObject(*ctx_, requested));
  meta_.owner = std::move(owned.owner);
  meta_.acl = std::move(owned.acl);
  HttpRequest form;  // the fields that PutObject would take from headers
  form.headers = fields_;
  KUMO_RETURN_IF_ERROR(AttributesFromRequest(form, &meta_));
  if (const std::string* tagging = Field("tagging")) {  // a <Tagging> document
    KUMO_ASSIGN_OR_RETURN(meta_.tags, ParseTaggingXml(*tagging));
  }
  for (const auto& [name, value] : fields_) {
    if (name.rfind("x-amz-checksum-", 0) != 0 || name == "x-amz-checksum-algorithm") continue;
    auto alg = ParseChecksumAlgorithm(name);
    if (!alg) return Status(ErrorCode::kInvalidRequest, "Unsupported checksum field " + name);
    checksum_ = std::make_unique<Checksummer>(*alg);
    checksum_expected_ = value;
  }
  return Status::OK();
}

Result<Response> PostObject::Execute(RequestContext& ctx) {
  ctx_ = &ctx;
  KUMO_RETURN_IF_ERROR(parser_->Finish());
  if (!writer_) {
    KUMO_RETURN_IF_ERROR(AuthenticateForm(""));  // auth errors come first, as in S3
    return Status::InvalidArgument("POST requires exactly one file upload per request.");
  }
  KUMO_RETURN_IF_ERROR(auth::CheckPostContentLength(policy_, size_, /*final=*/true));
  if (checksum_) {
    std::string actual = checksum_->FinishBase64();
    if (actual != checksum_expected_) {
      return Status(ErrorCode::kBadDigest,
                    "The " + std::string(ChecksumName(checksum_->algorithm())) +
                        " you specified did not match the calculated checksum.");
    }
    meta_.checksums.emplace_back(std::string(ChecksumName(checksum_->algorithm())), actual);
  }
  meta_.etag = HexEncode(md5_.Finish());
  meta_.mtime_ms = ctx.now_ms;
  storage::EventIntent event = ctx.Event("ObjectCreated:Post");
  KUMO_ASSIGN_OR_RETURN(auto stored, writer_->Commit(std::move(meta_), &event));
  return Render(ctx, stored);
}

Response PostObject::Render(const RequestContext& ctx, const storage::ObjectMeta& stored) const {
  Response r;
  std::string etag = QuotedEtag(stored.etag);
  r.Set("ETag", etag);
  for (const auto& [alg, value] : stored.checksums) r.Set("x-amz-checksum-" + alg, value);
  const std::string* redirect = Field("success_action_redirect");
  if (redirect == nullptr) redirect = Field("redirect");  // the older name
  if (redirect != nullptr &&
      (redirect->rfind("http://", 0) == 0 || redirect->rfind("https://", 0) == 0)) {
    r.status = 303;
    r.Set("Location", *redirect + (redirect->find('?') == std::string::npos ? "?" : "&") +
                          "bucket=" + UrlEncode(ctx.bucket) + "&key=" + UrlEncode(ctx.key) +
                          "&etag=" + UrlEncode(etag));
    return r;
  }
  // Path-style requests address /bucket; virtual-hosted ones the root of the host.
  std::string location = ctx.http.SelfOrigin();
  if (ctx.http.raw_path.size() > 1) location.append("/").append(UrlEncode(ctx.bucket));
  location.append("/").append(UrlEncode(ctx.key, /*keep_slash=*/true));
  r.Set("Location", location);
  const std::string* status = Field("success_action_status");
  if (status != nullptr && *status == "200") return r;
  if (status == nullptr || *status != "201") {
    r.status = 204;
    return r;
  }
  r.status = 201;
  XmlWriter xml("PostResponse", /*with_namespace=*/false);
  xml.Text("Location", location);
  xml.Text("Bucket", ctx.bucket);
  xml.Text("Key", ctx.key);
  xml.Text("ETag", etag);
  r.Set("Content-Type", "application/xml");
  r.body = xml.Finish();
  return r;
}

}  // namespace

std::unique_ptr<Operation> MakePostObject() { return std::make_unique<PostObject>(); }

}  // namespace kumo::s3
