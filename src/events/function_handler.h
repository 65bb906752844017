// Function handlers: a plugin (include/kumo/plugin.h) instance bound by the ARN
// "arn:kumo:lambda:::function:<name>". Each [functions.<name>] table of the configuration
// names a plugin library and gives the function its own JSON configuration and its
// delivery concurrency.
//
// Deliver calls the plugin's handle() with the event and a kumo_call through which
// objects written or tagged carry the event as their parent. SUCCESS is delivered; RETRY
// is retryable and PERMANENT permanent (dead-lettered at once), each with the reason the
// plugin set.
//
// With timeout_seconds set, each handle() runs on a thread of its own and Deliver waits
// at most that long: a call still running then is abandoned (it cannot be stopped; it
// runs on, its result ignored) and the attempt fails as retryable, "timed out after N s".
// Its retry may then run while the abandoned call still does. At most kMaxAbandoned
// calls of one function may be abandoned at a time; past that, attempts fail at once.
// Without a timeout, handle() runs on the caller's thread (no thread hand-off per event).
//
// [Threading] Deliver is thread-safe when the plugin honours its concurrency setting
// (plugin.h: handle() may run concurrently, never for the same key).
// [Lifetime] An abandoned call still uses the instance, the host and the store: while
// AbandonedCalls() > 0 none of them may be destroyed (kumod then exits without tearing
// them down, see main.cc).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/status.h"
#include "events/catalog_sink.h"
#include "events/function_config.h"
#include "events/handler.h"
#include "events/plugin_host.h"
#include "events/plugin_library.h"
#include "policy/access_cache.h"
#include "storage/store.h"

namespace kumo::events {

class FunctionHandler final : public Handler {
 public:
  // Loads (or shares) the plugin library and creates the instance. Its host calls are
  // decided by access as config.run_as, or as the built-in principal (function_access.h);
  // with access null every host call that touches a bucket or an object is denied.
  // catalog receives its catalog_put / catalog_remove calls (null: they store nothing).
  // Errors: kInvalidArgument naming the function and the plugin (bad name or
  // concurrency, the library refused, create() failed with its reason).
  static Result<std::unique_ptr<FunctionHandler>> Create(const FunctionConfig& config,
                                                         storage::Store* store,
                                                         policy::AccessCache* access,
                                                         CatalogSink* catalog = nullptr);
  ~FunctionHandler() override;

  const std::string& name() const override { return name_; }
  const std::string& arn() const override { return arn_; }
  int concurrency() const override { return concurrency_; }
  DeliveryResult Deliver(const storage::EventRecord& record, const std::string& payload) override;

  const std::string& plugin_name() const { return plugin_name_; }
  const std::string& plugin_version() const { return plugin_version_; }

  static constexpr int kMaxAbandoned = 16;

 private:
  FunctionHandler(const FunctionConfig& config, std::shared_ptr<PluginLibrary> library,
                  storage::Store* store, policy::AccessCache* access);
  // Runs handle() on a thread of its own, waiting at most timeout_seconds_.
  DeliveryResult DeliverWithTimeout(const storage::EventRecord& record, const std::string& payload);

  const std::shared_ptr<PluginLibrary> library_;
  const std::string name_;
  const std::string arn_;
  const int concurrency_;
  const bool test_events_;
  const int timeout_seconds_;
  // Calls of this function abandoned and still running; shared with their threads.
  const std::shared_ptr<std::atomic<int>> abandoned_ = std::make_shared<std::atomic<int>>(0);
  const std::string plugin_name_;
  const std::string plugin_version_;
  kumo_host host_;
  void* instance_ = nullptr;
};

// Abandoned calls still running, of every function handler.
int AbandonedCalls();

}  // namespace kumo::events
