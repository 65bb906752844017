// DeleteObjects: the XML <Delete> document, Quiet mode, per-key results.
#include <pugixml.hpp>

#include "s3/errors.h"
#include "s3/ops.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace kumo::s3 {

namespace {

constexpr size_t kMaxKeys = 1000;

Status Malformed() {
  return {ErrorCode::kMalformedXML,
          "The XML you provided was not well-formed or did not validate against our "
          "published schema"};
}

class DeleteObjects final : public BufferedBodyOperation {
 public:
  Result<Response> Execute(RequestContext& ctx) override {
    pugi::xml_document doc;
    if (body_.empty() || !doc.load_buffer(body_.data(), body_.size())) return Malformed();
    pugi::xml_node root = doc.child("Delete");
    if (!root) return Malformed();
    std::string quiet = root.child_value("Quiet");
    bool is_quiet = quiet == "true" || quiet == "True";
    std::vector<std::string> keys;
    for (auto obj : root.children("Object")) {
      pugi::xml_node key = obj.child("Key");
      if (!key || keys.size() == kMaxKeys) return Malformed();
      keys.emplace_back(key.child_value());
    }
    if (keys.empty()) return Malformed();
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
