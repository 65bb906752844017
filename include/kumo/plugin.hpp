// The optional C++ layer over the Kumo plugin ABI (plugin.h): header-only, compiled into
// the plugin, C++17. A plugin is a class with a constructor taking a kumo::plugin::Context
// and a Handle method, exported with one macro:
//
//   class Hello : public kumo::plugin::Function {
//    public:
//     explicit Hello(const kumo::plugin::Context& ctx) : host_(ctx.host) {}
//     kumo::plugin::Result Handle(const kumo::plugin::Event& e, kumo::plugin::Call& call) override
//     {
//       std::string body = call.ReadObject(e.bucket(), e.key());
//       call.WriteObject(e.bucket(), "hello/" + std::string(e.key()), "hi");
//       return kumo::plugin::Result::Success();
//     }
//    private:
//     kumo::plugin::Host host_;
//   };
//   KUMO_PLUGIN(Hello, "hello", "1.0")
//
// Host versions: a plugin built with this header needs, by default, a host of the API
// version it describes (KUMO_PLUGIN_API_VERSION); it loads on that host and on any newer
// one. A plugin that uses only older calls may ask for less by defining
// KUMO_PLUGIN_NEEDS_HOST_VERSION (e.g. 1) before including this header; it must then test
// newer entries with KUMO_HOST_HAS before using them (the methods below throw an Error
// naming the entry when the host lacks it).
//
// Exceptions never cross into kumod: a constructor that throws fails the start-up with
// its message; a Handle that throws is a failed attempt. kumo::plugin::Error (thrown by
// host calls) is retryable for storage failures and permanent for a missing bucket or
// key, invalid arguments and a call the function's principal may not make
// (KUMO_ERR_ACCESS_DENIED, its message then the event's reason); any other exception is
// retryable.
#ifndef KUMO_PLUGIN_HPP
#define KUMO_PLUGIN_HPP

#include <kumo/plugin.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef KUMO_PLUGIN_NEEDS_HOST_VERSION
#define KUMO_PLUGIN_NEEDS_HOST_VERSION KUMO_PLUGIN_API_VERSION
#endif

namespace kumo::plugin {

inline std::string_view View(kumo_string s) {
  return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}
inline kumo_string Str(std::string_view s) { return kumo_string{s.data(), s.size()}; }

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A failed host call.
class Error : public std::runtime_error {
 public:
  Error(kumo_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  kumo_status status() const { return status_; }
  bool retryable() const {
    return status_ == KUMO_ERR_IO || status_ == KUMO_ERR_INTERNAL || status_ == KUMO_ERR_NO_MEMORY;
  }
  // The function's principal may not make the call (run_as, plugin.h).
  bool access_denied() const { return status_ == KUMO_ERR_ACCESS_DENIED; }

 private:
  kumo_status status_;
};

struct Result {
  kumo_result outcome = KUMO_RESULT_SUCCESS;
  std::string reason;

  static Result Success() { return {KUMO_RESULT_SUCCESS, {}}; }
  static Result Retry(std::string reason) { return {KUMO_RESULT_RETRY, std::move(reason)}; }
  static Result Permanent(std::string reason) { return {KUMO_RESULT_PERMANENT, std::move(reason)}; }
  // The target is unreachable: pause and probe, do not dead-letter (KUMO_RESULT_UNAVAILABLE).
  static Result Unavailable(std::string reason) {
    return {KUMO_RESULT_UNAVAILABLE, std::move(reason)};
  }
};

// The event being handled; views are valid during Handle.
class Event {
 public:
  explicit Event(const kumo_event* e) : e_(e) {}
  uint64_t sequence() const { return e_->sequence; }
  uint64_t parent_sequence() const { return e_->parent_sequence; }
  uint32_t depth() const { return e_->depth; }
  int64_t time_ms() const { return e_->time_ms; }
  std::string_view name() const { return View(e_->name); }
  std::string_view bucket() const { return View(e_->bucket); }
  std::string_view key() const { return View(e_->key); }
  uint64_t size() const { return e_->size; }
  std::string_view etag() const { return View(e_->etag); }
  std::string_view configuration_id() const { return View(e_->configuration_id); }
  std::string_view json() const { return View(e_->json); }
  bool created() const { return name().substr(0, 14) == "ObjectCreated:"; }
  bool removed() const { return name().substr(0, 14) == "ObjectRemoved:"; }

 private:
  const kumo_event* e_;
};

namespace detail {
inline void Check(const kumo_host_api* api, kumo_call* call, kumo_status status) {
  if (status != KUMO_OK) throw Error(status, std::string(View(api->last_error(call))));
}
// Throws when the host predates entry (KUMO_HOST_HAS is false for it).
inline void Require(bool has, const char* entry) {
  if (!has) {
    throw Error(KUMO_ERR_INTERNAL, std::string("this kumod's host API has no ") + entry +
                                       " (it needs a newer plugin API version)");
  }
}
inline Pairs FromPairs(const kumo_pair* pairs, size_t count) {
  Pairs out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    out.emplace_back(std::string(View(pairs[i].name)), std::string(View(pairs[i].value)));
  }
  return out;
}
inline std::vector<kumo_pair> ToPairs(const Pairs& pairs) {
  std::vector<kumo_pair> out;
  out.reserve(pairs.size());
  for (const auto& [name, value] : pairs) out.push_back({Str(name), Str(value)});
  return out;
}
}  // namespace detail

// What Call::Stat reports (kumo_object_stat, owned copies).
struct ObjectStat {
  uint64_t size = 0;
  int64_t mtime_ms = 0;
  std::string etag;  // unquoted
  std::string content_type;
  Pairs metadata;  // user metadata, names lower-case without x-amz-meta-
  Pairs tags;
  std::string checksum_algorithm;  // "CRC32", ... or empty
  std::string checksum;            // base64, or empty
  uint32_t parts = 0;              // 0 unless multipart
};

// One object of Call::List.
struct ListEntry {
  std::string key;
  uint64_t size = 0;
  int64_t mtime_ms = 0;
  std::string etag;
};

struct ListPage {
  std::vector<ListEntry> entries;
  bool truncated = false;  // more follow: List again with start_after = entries.back().key
};

// An object opened for reading; closed by the destructor.
class Reader {
 public:
  Reader(const kumo_host_api* api, kumo_call* call, kumo_reader* r, const kumo_object_info& info)
      : api_(api), call_(call), r_(r), info_(info) {}
  Reader(Reader&& o) noexcept
      : api_(o.api_), call_(o.call_), r_(std::exchange(o.r_, nullptr)), info_(o.info_) {}
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  Reader& operator=(Reader&&) = delete;
  ~Reader() {
    if (r_ != nullptr) api_->close_object(r_);
  }

  uint64_t size() const { return info_.size; }
  int64_t mtime_ms() const { return info_.mtime_ms; }
  std::string etag() const { return std::string(View(info_.etag)); }
  std::string content_type() const { return std::string(View(info_.content_type)); }

  // Up to capacity bytes; 0 at the end.
  size_t Read(void* buffer, size_t capacity) {
    size_t n = 0;
    detail::Check(api_, call_, api_->read_object(r_, buffer, capacity, &n));
    return n;
  }
  std::string ReadAll() {
    std::string out;
    char buf[64 * 1024];
    for (size_t n; (n = Read(buf, sizeof(buf))) > 0;) out.append(buf, n);
    return out;
  }

 private:
  const kumo_host_api* api_;
  kumo_call* call_;
  kumo_reader* r_;
  kumo_object_info info_;
};

// An object being written; aborted by the destructor unless committed.
class Writer {
 public:
  Writer(const kumo_host_api* api, kumo_call* call, kumo_writer* w)
      : api_(api), call_(call), w_(w) {}
  Writer(Writer&& o) noexcept : api_(o.api_), call_(o.call_), w_(std::exchange(o.w_, nullptr)) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  Writer& operator=(Writer&&) = delete;
  ~Writer() {
    if (w_ != nullptr) api_->abort_object(w_);
  }

  void PutMetadata(std::string_view name, std::string_view value) {
    detail::Check(api_, call_, api_->put_metadata(w_, Str(name), Str(value)));
  }
  void Write(std::string_view data) {
    detail::Check(api_, call_, api_->write_object(w_, data.data(), data.size()));
  }
  void Commit() {
    // commit_object releases the writer whatever its outcome.
    kumo_writer* w = std::exchange(w_, nullptr);
    detail::Check(api_, call_, api_->commit_object(w));
  }

 private:
  const kumo_host_api* api_;
  kumo_call* call_;
  kumo_writer* w_;
};

// Host calls made on behalf of the event being handled.
class Call {
 public:
  Call(const kumo_host_api* api, kumo_call* call) : api_(api), call_(call) {}

  Reader Open(std::string_view bucket, std::string_view key) {
    kumo_reader* r = nullptr;
    kumo_object_info info{};
    info.struct_size = sizeof(info);
    detail::Check(api_, call_, api_->open_object(call_, Str(bucket), Str(key), &r, &info));
    return Reader(api_, call_, r, info);
  }
  std::string ReadObject(std::string_view bucket, std::string_view key) {
    return Open(bucket, key).ReadAll();
  }
  Writer Create(std::string_view bucket, std::string_view key, std::string_view content_type = {}) {
    kumo_writer* w = nullptr;
    detail::Check(api_, call_,
                  api_->create_object(call_, Str(bucket), Str(key), Str(content_type), &w));
    return Writer(api_, call_, w);
  }
  void WriteObject(std::string_view bucket, std::string_view key, std::string_view data,
                   std::string_view content_type = {}, const Pairs& metadata = {}) {
    Writer w = Create(bucket, key, content_type);
    for (const auto& [name, value] : metadata) w.PutMetadata(name, value);
    w.Write(data);
    w.Commit();
  }
  void SetMetadata(std::string_view bucket, std::string_view key, const Pairs& metadata) {
    auto pairs = detail::ToPairs(metadata);
    detail::Check(api_, call_,
                  api_->set_metadata(call_, Str(bucket), Str(key), pairs.data(), pairs.size()));
  }
  void SetTags(std::string_view bucket, std::string_view key, const Pairs& tags) {
    auto pairs = detail::ToPairs(tags);
    detail::Check(api_, call_,
                  api_->set_tags(call_, Str(bucket), Str(key), pairs.data(), pairs.size()));
  }

  // since v2 (each throws an Error naming the entry on an older host)
  ObjectStat Stat(std::string_view bucket, std::string_view key) {
    detail::Require(KUMO_HOST_HAS(api_, stat_object), "stat_object");
    kumo_object_stat st{};
    st.struct_size = sizeof(st);
    detail::Check(api_, call_, api_->stat_object(call_, Str(bucket), Str(key), &st));
    ObjectStat out;
    out.size = st.size;
    out.mtime_ms = st.mtime_ms;
    out.etag = std::string(View(st.etag));
    out.content_type = std::string(View(st.content_type));
    out.metadata = detail::FromPairs(st.metadata, st.metadata_count);
    out.tags = detail::FromPairs(st.tags, st.tag_count);
    out.checksum_algorithm = std::string(View(st.checksum_algorithm));
    out.checksum = std::string(View(st.checksum));
    out.parts = st.parts;
    return out;
  }
  Pairs GetTags(std::string_view bucket, std::string_view key) {
    detail::Require(KUMO_HOST_HAS(api_, get_tags), "get_tags");
    const kumo_pair* tags = nullptr;
    size_t count = 0;
    detail::Check(api_, call_, api_->get_tags(call_, Str(bucket), Str(key), &tags, &count));
    return detail::FromPairs(tags, count);
  }
  // Removes the object (no error when it was absent).
  void Delete(std::string_view bucket, std::string_view key) {
    detail::Require(KUMO_HOST_HAS(api_, delete_object), "delete_object");
    detail::Check(api_, call_, api_->delete_object(call_, Str(bucket), Str(key)));
  }
  // One page (max_keys 1..1000) of the keys under prefix after start_after.
  ListPage List(std::string_view bucket, std::string_view prefix = {},
                std::string_view start_after = {}, uint32_t max_keys = 1000) {
    detail::Require(KUMO_HOST_HAS(api_, list_objects), "list_objects");
    const kumo_list_entry* entries = nullptr;
    size_t count = 0;
    int truncated = 0;
    detail::Check(api_, call_,
                  api_->list_objects(call_, Str(bucket), Str(prefix), Str(start_after), max_keys,
                                     &entries, &count, &truncated));
    ListPage page;
    page.truncated = truncated != 0;
    page.entries.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      page.entries.push_back({std::string(View(entries[i].key)), entries[i].size,
                              entries[i].mtime_ms, std::string(View(entries[i].etag))});
    }
    return page;
  }
  // Logs with the event's context (function, sequence, bucket and key on every line).
  void Log(kumo_log_level level, std::string_view message) {
    detail::Require(KUMO_HOST_HAS(api_, log_call), "log_call");
    api_->log_call(call_, level, Str(message));
  }
  void Info(std::string_view m) { Log(KUMO_LOG_INFO, m); }
  void Warn(std::string_view m) { Log(KUMO_LOG_WARN, m); }
  // Puts this function's attributes (a JSON object text) and text for the object version
  // with this ETag into the catalog, under namespace ns. Returns false when the object
  // has changed since (nothing stored: its newer version has an event of its own).
  bool CatalogPut(std::string_view bucket, std::string_view key, std::string_view etag,
                  std::string_view ns, std::string_view attributes_json,
                  std::string_view text = {}) {
    detail::Require(KUMO_HOST_HAS(api_, catalog_put), "catalog_put");
    kumo_status s = api_->catalog_put(call_, Str(bucket), Str(key), Str(etag), Str(ns),
                                      Str(attributes_json), Str(text));
    if (s == KUMO_ERR_STALE) return false;
    detail::Check(api_, call_, s);
    return true;
  }
  void CatalogRemove(std::string_view bucket, std::string_view key, std::string_view ns) {
    detail::Require(KUMO_HOST_HAS(api_, catalog_remove), "catalog_remove");
    detail::Check(api_, call_, api_->catalog_remove(call_, Str(bucket), Str(key), Str(ns)));
  }
  const kumo_host_api* api() const { return api_; }

 private:
  const kumo_host_api* api_;
  kumo_call* call_;
};

// The function instance's link to kumod: logging. Copyable; valid while the instance lives.
class Host {
 public:
  Host(const kumo_host_api* api, kumo_host* host) : api_(api), host_(host) {}
  void Log(kumo_log_level level, std::string_view message) const {
    api_->log(host_, level, Str(message));
  }
  void Debug(std::string_view m) const { Log(KUMO_LOG_DEBUG, m); }
  void Info(std::string_view m) const { Log(KUMO_LOG_INFO, m); }
  void Warn(std::string_view m) const { Log(KUMO_LOG_WARN, m); }
  void Error(std::string_view m) const { Log(KUMO_LOG_ERROR, m); }
  const kumo_host_api* api() const { return api_; }

 private:
  const kumo_host_api* api_;
  kumo_host* host_;
};

// What a function's constructor gets.
struct Context {
  Host host;
  std::string config_json;  // the function's [functions.<name>.config] as JSON, "{}" if none
};

class Function {
 public:
  virtual ~Function() = default;
  virtual Result Handle(const Event& event, Call& call) = 0;
};

namespace detail {

inline void CopyError(const char* what, char* out, size_t capacity) {
  if (capacity == 0) return;
  size_t n = std::strlen(what);
  if (n >= capacity) n = capacity - 1;
  std::memcpy(out, what, n);
  out[n] = '\0';
}

template <class F>
struct Instance {
  const kumo_host_api* api;
  F function;
};

template <class F>
int Create(const kumo_host_api* api, kumo_host* host, kumo_string config, void** instance,
           char* error, size_t error_capacity) {
  try {
    std::string json(View(config));
    *instance = new Instance<F>{api, F(Context{Host(api, host), json.empty() ? "{}" : json})};
    return 0;
  } catch (const std::exception& e) {
    CopyError(e.what(), error, error_capacity);
  } catch (...) {
    CopyError("unknown exception", error, error_capacity);
  }
  return 1;
}

template <class F>
void Destroy(void* instance) {
  delete static_cast<Instance<F>*>(instance);
}

template <class F>
kumo_result Handle(void* instance, const kumo_event* event, kumo_call* call) {
  auto* self = static_cast<Instance<F>*>(instance);
  const kumo_host_api* api = self->api;
  try {
    Call c(api, call);
    Result r = self->function.Handle(Event(event), c);
    if (r.outcome != KUMO_RESULT_SUCCESS) api->set_error(call, Str(r.reason));
    return r.outcome;
  } catch (const Error& e) {
    api->set_error(call, Str(e.what()));
    return e.retryable() ? KUMO_RESULT_RETRY : KUMO_RESULT_PERMANENT;
  } catch (const std::exception& e) {
    api->set_error(call, Str(e.what()));
  } catch (...) {
    api->set_error(call, Str("unknown exception"));
  }
  return KUMO_RESULT_RETRY;
}

template <class F>
int Init(uint32_t host_api_version, kumo_plugin* plugin, const char* name, const char* version) {
  // Any host at or above the version needed; the table is the one of version 1, which
  // every host reads.
  if (plugin == nullptr) return 1;
  plugin->api_version = KUMO_PLUGIN_NEEDS_HOST_VERSION;
  if (host_api_version < KUMO_PLUGIN_NEEDS_HOST_VERSION ||
      plugin->struct_size < sizeof(kumo_plugin)) {
    return 1;
  }
  plugin->name = name;
  plugin->version = version;
  plugin->create = &Create<F>;
  plugin->destroy = &Destroy<F>;
  plugin->handle = &Handle<F>;
  return 0;
}

}  // namespace detail
}  // namespace kumo::plugin

// Exports the plugin's entry point for FunctionClass (a kumo::plugin::Function
// constructible from const kumo::plugin::Context&). Use once per plugin library.
#define KUMO_PLUGIN(FunctionClass, plugin_name, plugin_version)                               \
  extern "C" KUMO_PLUGIN_EXPORT int kumo_plugin_init(uint32_t host_api_version,               \
                                                     kumo_plugin* plugin) {                   \
    return ::kumo::plugin::detail::Init<FunctionClass>(host_api_version, plugin, plugin_name, \
                                                       plugin_version);                       \
  }

#endif  // KUMO_PLUGIN_HPP
