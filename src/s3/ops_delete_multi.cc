// DeleteObjects: the XML <Delete> document, Quiet mode, per-key results.
#include "s3/authorize.h"
#include "s3/errors.h"
#include "s3/ops.h"
#include "s3/request_xml.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

class DeleteObjects final : public BufferedBodyOperation {
 public:
  DeleteObjects() : BufferedBodyOperation(OpId::kDeleteObjects) {}
  // The keys are in the body: each is authorized on its own (s3:DeleteObject on
  // bucket/key) in Execute and refused in the result, as S3 does.
  Result<std::vector<Permission>> Permissions(const RequestContext&) const override {
    return std::vector<Permission>{};
  }
  Result<Response> Execute(RequestContext& ctx) override {
    KUMO_ASSIGN_OR_RETURN(DeleteRequest request, ParseDeleteRequest(body_));
    const bool is_quiet = request.quiet;
    const std::vector<std::string>& keys = request.keys;
    // The bucket must exist even when every key is absent.
    KUMO_ASSIGN_OR_RETURN(auto bucket, ctx.store->GetBucket(ctx.bucket));
    (void)bucket;

    // Valid keys are removed together, in a few synced batches (Store::DeleteObjects);
    // each removed key still gets its own ObjectRemoved:Delete event.
    std::vector<Status> results(keys.size());
    std::vector<std::string> valid;
    std::vector<size_t> valid_at;
    for (size_t i = 0; i < keys.size(); ++i) {
      results[i] = ValidateObjectKey(keys[i]);
      if (results[i].ok()) results[i] = AuthorizeObject(ctx, Action(), keys[i]);
      if (!results[i].ok()) continue;
      valid.push_back(keys[i]);
      valid_at.push_back(i);
    }
    storage::EventIntent event = ctx.Event("ObjectRemoved:Delete");
    std::vector<Status> deleted = ctx.store->DeleteObjects(ctx.bucket, valid, &event);
    for (size_t j = 0; j < valid_at.size(); ++j) results[valid_at[j]] = std::move(deleted[j]);

    XmlWriter xml("DeleteResult");
    for (size_t i = 0; i < keys.size(); ++i) {
      const Status& s = results[i];
      if (s.ok()) {
        if (is_quiet) continue;
        xml.Open("Deleted");
        xml.Text("Key", keys[i]);
        xml.Close();
      } else {
        xml.Open("Error");
        xml.Text("Key", keys[i]);
        xml.Text("Code", ErrorInfoFor(s.code()).code);
        xml.Text("Message", s.message());
        xml.Close();
      }
    }
    Response r;
    r.Set("Content-Type", "application/xml");
    r.body = xml.Finish();
    return r;
  }
};

}  // namespace

std::unique_ptr<Operation> MakeDeleteObjects() { return std::make_unique<DeleteObjects>(); }

}  // namespace kumo::s3
