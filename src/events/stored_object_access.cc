#include "events/stored_object_access.h"

namespace kumo::events {

std::shared_ptr<const policy::ObjectAccess> LoadObjectAccess(storage::Store* store,
                                                             std::string_view bucket,
                                                             std::string_view key) {
  auto meta = store->HeadObject(bucket, key);
  if (!meta.ok()) return nullptr;
  auto object = std::make_shared<policy::ObjectAccess>();
  auto acl = meta->acl.empty() ? std::nullopt : policy::DecodeAcl(meta->acl);
  object->acl = acl ? std::move(*acl) : policy::PrivateAcl(meta->owner);
  return object;
}

void AddExistingObjectTags(storage::Store* store, std::string_view bucket, std::string_view key,
                           policy::RequestContext* out) {
  auto meta = store->HeadObject(bucket, key);
  if (!meta.ok()) return;
  for (const auto& [k, v] : meta->tags) {
    out->Set(std::string("s3:ExistingObjectTag/").append(k), v);
  }
}

}  // namespace kumo::events
