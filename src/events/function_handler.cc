#include "events/function_handler.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/thread_name.h"
#include "events/test_event.h"

namespace kumo::events {
namespace {

constexpr int kMaxConcurrency = 64;

bool ValidName(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

kumo_string Str(const std::string& s) { return {s.data(), s.size()}; }

// The rule id travels inside the rendered S3 message only. A plain search finds it: the
// renderer writes "configurationId":"<id>" once, compactly; an id with escapes (rare)
// takes the full parse. Parsing every message would cost more than a noop function.
std::string ConfigurationId(const std::string& payload) {
  static constexpr std::string_view kField = "\"configurationId\":\"";
  size_t at = payload.find(kField);
  if (at != std::string::npos) {
    size_t begin = at + kField.size();
    size_t end = payload.find_first_of("\"\\", begin);
    if (end != std::string::npos && payload[end] == '"') return payload.substr(begin, end - begin);
  }
  auto json = nlohmann::json::parse(payload, nullptr, false);
  const auto* s3 = json.is_object() && json.contains("Records") && json["Records"].is_array() &&
                           !json["Records"].empty() && json["Records"][0].contains("s3")
                       ? &json["Records"][0]["s3"]
                       : nullptr;
  if (s3 == nullptr || !s3->contains("configurationId") || !(*s3)["configurationId"].is_string()) {
    return {};
  }
  return (*s3)["configurationId"].get<std::string>();
}

std::atomic<int> g_abandoned{0};

void FillEvent(const storage::EventRecord& record, const std::string& config_id,
               const std::string& payload, kumo_event* event) {
  *event = kumo_event{};
  event->struct_size = sizeof(*event);
  event->depth = record.depth;
  event->sequence = record.seq;
  event->parent_sequence = record.parent_seq;
  event->time_ms = record.time_ms;
  event->name = Str(record.name);
  event->bucket = Str(record.bucket);
  event->key = Str(record.key);
  event->size = record.size;
  event->etag = Str(record.etag);
  event->configuration_id = Str(config_id);
  event->json = Str(payload);
}

DeliveryResult ResultOf(kumo_result result, const kumo_call& call) {
  switch (result) {
    case KUMO_RESULT_SUCCESS:
      return {DeliveryOutcome::kDelivered, ""};
    case KUMO_RESULT_PERMANENT:
      return {DeliveryOutcome::kPermanent,
              call.error.empty() ? "the function reported a permanent failure" : call.error};
    case KUMO_RESULT_RETRY:
      return {DeliveryOutcome::kRetryable,
              call.error.empty() ? "the function reported a retryable failure" : call.error};
    case KUMO_RESULT_UNAVAILABLE:
      return {DeliveryOutcome::kUnavailable,
              call.error.empty() ? "the function reported its target unavailable" : call.error};
  }
  return {DeliveryOutcome::kRetryable,
          "the function returned an unknown result " + std::to_string(static_cast<int>(result))};
}

// One dlopen per path: functions sharing a library share its handle.
Result<std::shared_ptr<PluginLibrary>> LoadShared(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<PluginLibrary>> loaded;
  std::lock_guard lock(mu);
  if (auto lib = loaded[path].lock()) return lib;
  KUMO_ASSIGN_OR_RETURN(auto lib, PluginLibrary::Load(path));
  loaded[path] = lib;
  return lib;
}

}  // namespace

Result<std::unique_ptr<FunctionHandler>> FunctionHandler::Create(const FunctionConfig& config,
                                                                 storage::Store* store,
                                                                 policy::AccessCache* access,
                                                                 CatalogSink* catalog) {
  const std::string where = config.label.empty() ? "function '" + config.name + "'" : config.label;
  if (!ValidName(config.name)) {
    return Status::InvalidArgument(where + ": names are 1-64 characters of A-Z a-z 0-9 - _");
  }
  if (config.concurrency < 1 || config.concurrency > kMaxConcurrency) {
    return Status::InvalidArgument(where + ": concurrency must be 1 to 64");
  }
  if (config.timeout_seconds < 0) {
    return Status::InvalidArgument(where + ": timeout_seconds must be 0 (none) or more");
  }
  if (config.plugin.empty()) return Status::InvalidArgument(where + ": no plugin path given");
  auto library = LoadShared(config.plugin);
  if (!library.ok()) {
    return Status::InvalidArgument(where + ": " + library.status().message());
  }
  std::unique_ptr<FunctionHandler> h(
      new FunctionHandler(config, std::move(library).value(), store, access));
  h->host_.catalog = catalog;
  const kumo_plugin& plugin = h->library_->table();
  char error[1024] = {0};
  int rc = plugin.create(PluginHostApi(), &h->host_, Str(config.config_json), &h->instance_, error,
                         sizeof(error));
  if (rc != 0) {
    h->instance_ = nullptr;
    error[sizeof(error) - 1] = '\0';
    return Status::InvalidArgument(where + ": plugin " + config.plugin + " failed to start: " +
                                   (error[0] != '\0' ? error : "no reason given"));
  }
  return h;
}

FunctionHandler::FunctionHandler(const FunctionConfig& config,
                                 std::shared_ptr<PluginLibrary> library, storage::Store* store,
                                 policy::AccessCache* access)
    : library_(std::move(library)),
      name_(config.handler_name.empty() ? "function:" + config.name : config.handler_name),
      arn_(config.arn.empty() ? "arn:kumo:lambda:::function:" + config.name : config.arn),
      concurrency_(config.concurrency),
      test_events_(config.test_events),
      timeout_seconds_(config.timeout_seconds),
      plugin_name_(library_->table().name != nullptr ? library_->table().name : ""),
      plugin_version_(library_->table().version != nullptr ? library_->table().version : "") {
  host_.function = config.name;
  host_.store = store;
  host_.principal.function = config.name;
  host_.principal.run_as = config.run_as;
  host_.principal.access = access;
  host_.principal.store = store;
}

FunctionHandler::~FunctionHandler() {
  // An abandoned call may still run in the instance: leave it (kumod is exiting).
  if (instance_ != nullptr && abandoned_->load() == 0) library_->table().destroy(instance_);
}

DeliveryResult FunctionHandler::Deliver(const storage::EventRecord& record,
                                        const std::string& payload) {
  // S3 sends its s3:TestEvent to queues and topics, never to Lambda functions.
  if (IsTestEvent(record) && !test_events_) return {DeliveryOutcome::kDelivered, ""};
  if (timeout_seconds_ > 0) return DeliverWithTimeout(record, payload);
  const std::string config_id = ConfigurationId(payload);
  kumo_event event;
  FillEvent(record, config_id, payload, &event);
  kumo_call call;
  InitCall(&host_, record, &call);
  kumo_result result = library_->table().handle(instance_, &event, &call);
  return ResultOf(result, call);
}

DeliveryResult FunctionHandler::DeliverWithTimeout(const storage::EventRecord& record,
                                                   const std::string& payload) {
  if (int stuck = abandoned_->load(); stuck >= kMaxAbandoned) {
    return {DeliveryOutcome::kRetryable,
            std::to_string(stuck) + " earlier calls are still running past the timeout of " +
                std::to_string(timeout_seconds_) + " s"};
  }
  // Everything the call touches is owned here, shared with its thread: an abandoned call
  // outlives this Deliver.
  struct Timed {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;       // GUARDED_BY(mu)
    bool abandoned = false;  // GUARDED_BY(mu)
    kumo_result result = KUMO_RESULT_RETRY;
    storage::EventRecord record;
    std::string payload, config_id;
    kumo_event event;
    kumo_call call;
  };
  auto t = std::make_shared<Timed>();
  t->record = record;
  t->payload = payload;
  t->config_id = ConfigurationId(payload);
  FillEvent(t->record, t->config_id, t->payload, &t->event);
  InitCall(&host_, t->record, &t->call);
  std::thread thread([t, library = library_, instance = instance_, abandoned = abandoned_] {
    SetThreadName("fn-call");
    kumo_result result = library->table().handle(instance, &t->event, &t->call);
    std::lock_guard lock(t->mu);
    t->result = result;
    t->done = true;
    if (t->abandoned) {
      abandoned->fetch_sub(1);
      g_abandoned.fetch_sub(1);
    }
    t->cv.notify_one();
  });
  std::unique_lock lock(t->mu);
  if (t->cv.wait_for(lock, std::chrono::seconds(timeout_seconds_), [&] { return t->done; })) {
    lock.unlock();
    thread.join();
    return ResultOf(t->result, t->call);
  }
  t->abandoned = true;
  abandoned_->fetch_add(1);
  g_abandoned.fetch_add(1);
  lock.unlock();
  thread.detach();
  return {DeliveryOutcome::kRetryable,
          "timed out after " + std::to_string(timeout_seconds_) +
              " s (the call cannot be stopped; it goes on, its result ignored)"};
}

int AbandonedCalls() { return g_abandoned.load(); }

}  // namespace kumo::events
