// Server-internal endpoints under /_kumo/: the unauthenticated readiness probe
// (GET /_kumo/health) and the admin API used by the `kumo` CLI: users and their policies
// (users_api.h),
// plus the event views of events_api.h and handlers_api.h, the catalog's of
// catalog_api.h, and the unauthenticated Prometheus metrics of metrics.h
// (GET /_kumo/metrics).
// Admin requests are SigV4-signed like S3 requests and must come from the root key or a
// user whose identity policy allows the action kumo:Admin (on resource "*").
// The catalog queries of search_api.h (/_kumo/search, /_kumo/sql) are signed the same way
// but open to every user, each seeing only what it may list.
// [Threading] Handle is thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "auth/sigv4.h"
#include "catalog/catalog.h"
#include "common/http_request.h"
#include "events/dispatcher.h"
#include "policy/access_cache.h"
#include "s3/response.h"
#include "storage/store.h"

namespace kumo::admin {

class AdminApi {
 public:
  AdminApi(storage::Store* store, const auth::CredentialLookup* credentials,
           policy::AccessCache* access);
  // std::nullopt when the path is not one of ours.
  std::optional<s3::Response> Handle(const HttpRequest& request);
  // Health answers 200 only after this is set (kumod is ready to serve).
  void SetReady(bool ready) { ready_.store(ready); }
  // The dispatcher behind /_kumo/admin/handlers, /_kumo/admin/deadletters and the
  // per-handler metrics; those admin endpoints answer 503 while it is null. Set it
  // before serving requests.
  void SetDispatcher(events::Dispatcher* dispatcher) { dispatcher_.store(dispatcher); }
  // The catalog behind /_kumo/admin/catalog/* and the kumo_catalog_* metrics; null (the
  // catalog disabled): those endpoints answer 503 and the metrics are left out.
  // /_kumo/search and /_kumo/sql read its db_path() unless SetCatalogPath named one.
  void SetCatalog(catalog::Catalog* catalog) { catalog_.store(catalog); }
  // The catalog database behind /_kumo/search and /_kumo/sql (catalog::CatalogDbPath),
  // for a server without a Catalog of its own; with neither set they answer 503. Set it
  // before serving requests.
  void SetCatalogPath(std::string db_path) { catalog_path_ = std::move(db_path); }

 private:
  // Root, or a user whose identity policy allows kumo:Admin.
  bool MayAdminister(std::string_view access_key);

  storage::Store* store_;
  const auth::CredentialLookup* credentials_;
  policy::AccessCache* access_;
  std::atomic<bool> ready_{false};
  std::atomic<events::Dispatcher*> dispatcher_{nullptr};
  std::atomic<catalog::Catalog*> catalog_{nullptr};
  std::string catalog_path_;  // written before serving, then only read
};

// A random key of n characters from [A-Z0-9] (access keys) or base64-ish alphabet.
std::string RandomKey(size_t n, bool secret);

}  // namespace kumo::admin
