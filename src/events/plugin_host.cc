#include "events/plugin_host.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <string_view>
#include <type_traits>

#include "common/hash.h"
#include "common/object_rules.h"
#include "common/object_tags.h"
#include "common/time_util.h"
#include "common/utf8.h"

struct kumo_reader {
  kumo_call* call = nullptr;
  std::unique_ptr<kumo::storage::ObjectReader> reader;
  uint64_t offset = 0;
};

struct kumo_writer {
  kumo_call* call = nullptr;
  std::unique_ptr<kumo::storage::ObjectWriter> writer;
  kumo::storage::ObjectMeta meta;
  kumo::Hasher md5{kumo::Hasher::Algorithm::kMd5};
};

namespace kumo::events {
namespace {

std::string_view View(kumo_string s) {
  return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}

kumo_status Fail(kumo_call* call, kumo_status status, std::string message) {
  call->last_error = std::move(message);
  return status;
}

kumo_status Fail(kumo_call* call, const Status& s) {
  kumo_status status = KUMO_ERR_INTERNAL;
  switch (s.code()) {
    case ErrorCode::kNoSuchBucket:
      status = KUMO_ERR_NO_SUCH_BUCKET;
      break;
    case ErrorCode::kNoSuchKey:
      status = KUMO_ERR_NO_SUCH_KEY;
      break;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kKeyTooLongError:
    case ErrorCode::kMetadataTooLarge:
    case ErrorCode::kInvalidTag:
    case ErrorCode::kBadRequest:
      status = KUMO_ERR_INVALID_ARGUMENT;
      break;
    case ErrorCode::kIOError:
    case ErrorCode::kCorruption:
      status = KUMO_ERR_IO;
      break;
    case ErrorCode::kAccessDenied:
      status = KUMO_ERR_ACCESS_DENIED;
      break;
    default:
      break;
  }
  return Fail(call, status, s.message());
}

std::string RequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  char id[17];
  std::snprintf(id, sizeof(id), "%016llX", static_cast<unsigned long long>(rng()));
  return id;
}

// Whom the call's writes are made by (function_access.h).
std::string PrincipalId(const kumo_call* call) {
  return call->access ? call->access->principal_id()
                      : BuiltInPrincipalId(call->host->principal.function);
}

// Whether call's principal may run action on (bucket, key); sets last_error when not.
// Comes after argument checks and before anything is read or changed.
bool Allowed(kumo_call* call, std::string_view action, std::string_view bucket,
             std::string_view key) {
  Status s = call->access ? call->access->Check(action, bucket, key)
                          : Status(ErrorCode::kAccessDenied,
                                   "access denied: the call has no principal to act as");
  if (s.ok()) return true;
  Fail(call, s);
  return false;
}

// The outbox intent of a change made on behalf of call's event.
storage::EventIntent Intent(const kumo_call* call, std::string name) {
  storage::EventIntent intent;
  intent.name = std::move(name);
  intent.request_id = RequestId();
  intent.principal = PrincipalId(call);
  intent.source_ip = "127.0.0.1";
  intent.parent_seq = call->event_seq;
  intent.depth = call->event_depth + 1;
  return intent;
}

// The rules S3 requests follow (common/object_rules.h), so that what a function writes
// reads back through any client.
bool ValidKey(kumo_call* call, std::string_view bucket, std::string_view key) {
  if (bucket.empty()) return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "empty bucket name"), false;
  if (Status s = ValidateObjectKey(key); !s.ok()) {
    Fail(call, KUMO_ERR_INVALID_ARGUMENT, s.message());
    return false;
  }
  return true;
}

// User metadata as S3 stores it (common/object_rules.h).
Status NormalizeMetadata(const kumo_pair* pairs, size_t count,
                         std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  for (size_t i = 0; i < count; ++i) {
    out->emplace_back(std::string(View(pairs[i].name)), std::string(View(pairs[i].value)));
  }
  return NormalizeUserMetadata(out);
}

spdlog::level::level_enum SpdLevel(kumo_log_level level);

void Log(kumo_host* host, kumo_log_level level, kumo_string message) {
  spdlog::log(SpdLevel(level), "function {}: {}", host->function, View(message));
}

kumo_string LastError(kumo_call* call) {
  return {call->last_error.data(), call->last_error.size()};
}

// The reason goes into outcomes, dead letters and logs, all JSON: made valid UTF-8 here.
void SetError(kumo_call* call, kumo_string message) { call->error = MakeValidUtf8(View(message)); }

kumo_status OpenObject(kumo_call* call, kumo_string bucket, kumo_string key, kumo_reader** out,
                       kumo_object_info* info) {
  *out = nullptr;
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:GetObject", View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  auto opened = call->host->store->OpenObject(View(bucket), View(key));
  if (!opened.ok()) return Fail(call, opened.status());
  auto reader = std::make_unique<kumo_reader>();
  reader->call = call;
  reader->reader = std::move(opened).value();
  if (info != nullptr && info->struct_size >= sizeof(kumo_object_info)) {
    const storage::ObjectMeta& meta = reader->reader->meta();
    info->size = meta.size;
    info->mtime_ms = meta.mtime_ms;
    info->etag = {meta.etag.data(), meta.etag.size()};
    info->content_type = {meta.content_type.data(), meta.content_type.size()};
  }
  *out = reader.release();
  return KUMO_OK;
}

kumo_status ReadObject(kumo_reader* reader, void* buffer, size_t capacity, size_t* n_read) {
  *n_read = 0;
  auto n = reader->reader->ReadAt(reader->offset, static_cast<char*>(buffer), capacity);
  if (!n.ok()) return Fail(reader->call, n.status());
  reader->offset += *n;
  *n_read = *n;
  return KUMO_OK;
}

void CloseObject(kumo_reader* reader) { delete reader; }

kumo_status CreateObject(kumo_call* call, kumo_string bucket, kumo_string key,
                         kumo_string content_type, kumo_writer** out) {
  *out = nullptr;
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:PutObject", View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  auto writer = call->host->store->NewObjectWriter(View(bucket), View(key), -1);
  if (!writer.ok()) return Fail(call, writer.status());
  auto w = std::make_unique<kumo_writer>();
  w->call = call;
  w->writer = std::move(writer).value();
  w->meta.content_type = StoredContentType(View(content_type));
  w->meta.owner = PrincipalId(call);
  *out = w.release();
  return KUMO_OK;
}

kumo_status PutMetadata(kumo_writer* w, kumo_string name, kumo_string value) {
  kumo_pair pair{name, value};
  std::vector<std::pair<std::string, std::string>> normalized;
  if (Status s = NormalizeMetadata(&pair, 1, &normalized); !s.ok()) return Fail(w->call, s);
  w->meta.user_meta.push_back(std::move(normalized.front()));
  std::vector<kumo_pair> all;
  for (const auto& [n, v] : w->meta.user_meta) {
    all.push_back({{n.data(), n.size()}, {v.data(), v.size()}});
  }
  if (Status s = NormalizeMetadata(all.data(), all.size(), &normalized); !s.ok()) {
    w->meta.user_meta.pop_back();
    return Fail(w->call, s);
  }
  return KUMO_OK;
}

kumo_status WriteObject(kumo_writer* w, const void* data, size_t size) {
  std::string_view bytes(static_cast<const char*>(data), size);
  if (Status s = w->writer->Append(bytes); !s.ok()) return Fail(w->call, s);
  w->md5.Update(bytes);
  return KUMO_OK;
}

kumo_status CommitObject(kumo_writer* writer) {
  std::unique_ptr<kumo_writer> w(writer);
  w->meta.etag = HexEncode(w->md5.Finish());
  w->meta.mtime_ms = NowMillis();
  storage::EventIntent intent = Intent(w->call, "ObjectCreated:Put");
  auto committed = w->writer->Commit(std::move(w->meta), &intent);
  if (!committed.ok()) return Fail(w->call, committed.status());
  return KUMO_OK;
}

void AbortObject(kumo_writer* writer) { delete writer; }

kumo_status SetMetadata(kumo_call* call, kumo_string bucket, kumo_string key,
                        const kumo_pair* pairs, size_t count) {
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  // Rewrites the object's metadata: a put of the object, as S3's copy onto itself.
  if (!Allowed(call, "s3:PutObject", View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  std::vector<std::pair<std::string, std::string>> meta;
  if (Status s = NormalizeMetadata(pairs, count, &meta); !s.ok()) return Fail(call, s);
  // Internal: no notification rule selects it (it must not re-trigger the bindings that
  // called the function), but the catalog follows it and traces show it.
  storage::EventIntent intent = Intent(call, std::string(storage::kObjectMetadataEvent));
  auto updated = call->host->store->UpdateObjectMeta(
      View(bucket), View(key),
      [&](storage::ObjectMeta& m) {
        for (auto& [name, value] : meta) {
          auto it = std::find_if(m.user_meta.begin(), m.user_meta.end(),
                                 [&](const auto& entry) { return entry.first == name; });
          if (it != m.user_meta.end()) {
            it->second = value;
          } else {
            m.user_meta.emplace_back(name, value);
          }
        }
        return ValidateUserMetadata(m.user_meta);
      },
      &intent);
  if (!updated.ok()) return Fail(call, updated.status());
  return KUMO_OK;
}

kumo_status SetTags(kumo_call* call, kumo_string bucket, kumo_string key, const kumo_pair* tags,
                    size_t count) {
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:PutObjectTagging", View(bucket), View(key))) {
    return KUMO_ERR_ACCESS_DENIED;
  }
  StringPairs normalized;
  for (size_t i = 0; i < count; ++i) {
    normalized.emplace_back(View(tags[i].name), View(tags[i].value));
  }
  if (Status s = ValidateTags(&normalized); !s.ok()) return Fail(call, s);
  storage::EventIntent intent = Intent(call, "ObjectTagging:Put");
  auto updated = call->host->store->UpdateObjectMeta(
      View(bucket), View(key),
      [&](storage::ObjectMeta& m) {
        m.tags = normalized;
        return Status::OK();
      },
      &intent);
  if (!updated.ok()) return Fail(call, updated.status());
  return KUMO_OK;
}

// The checksum algorithm of a stored object, as S3 names it (CRC32, ...), or empty.
std::string ChecksumAlgorithm(const storage::ObjectMeta& meta) {
  if (meta.checksums.empty()) return {};
  std::string name = meta.checksums.front().first;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

// The part count of a multipart ETag ("<hex>-<N>"), 0 for a single PUT.
uint32_t PartsOf(std::string_view etag) {
  size_t dash = etag.rfind('-');
  if (dash == std::string_view::npos) return 0;
  uint32_t n = 0;
  for (char c : etag.substr(dash + 1)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  return n;
}

kumo_string Str(const std::string& s) { return {s.data(), s.size()}; }

std::vector<kumo_pair> PairViews(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<kumo_pair> out;
  out.reserve(pairs.size());
  for (const auto& [name, value] : pairs) out.push_back({Str(name), Str(value)});
  return out;
}

kumo_status StatObject(kumo_call* call, kumo_string bucket, kumo_string key,
                       kumo_object_stat* out) {
  if (out == nullptr) return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "stat_object: out is NULL");
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:GetObject", View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  auto meta = call->host->store->HeadObject(View(bucket), View(key));
  if (!meta.ok()) return Fail(call, meta.status());
  call->stat_meta = std::move(meta).value();
  const storage::ObjectMeta& m = call->stat_meta;
  call->stat_metadata = PairViews(m.user_meta);
  call->stat_tags = PairViews(m.tags);
  call->stat_checksum_algorithm = ChecksumAlgorithm(m);
  // Fields are filled in only as far as the caller's struct reaches (an older header's
  // struct is shorter).
  kumo_object_stat full{};
  full.struct_size = out->struct_size;
  full.size = m.size;
  full.mtime_ms = m.mtime_ms;
  full.etag = Str(m.etag);
  full.content_type = Str(m.content_type);
  full.metadata = call->stat_metadata.data();
  full.metadata_count = call->stat_metadata.size();
  full.tags = call->stat_tags.data();
  full.tag_count = call->stat_tags.size();
  full.checksum_algorithm = Str(call->stat_checksum_algorithm);
  if (!m.checksums.empty()) full.checksum = Str(m.checksums.front().second);
  full.parts = PartsOf(m.etag);
  std::memcpy(static_cast<void*>(out), &full, std::min<size_t>(out->struct_size, sizeof(full)));
  return KUMO_OK;
}

kumo_status GetTags(kumo_call* call, kumo_string bucket, kumo_string key, const kumo_pair** tags,
                    size_t* count) {
  if (tags == nullptr || count == nullptr) {
    return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "get_tags: tags or count is NULL");
  }
  *tags = nullptr;
  *count = 0;
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:GetObjectTagging", View(bucket), View(key))) {
    return KUMO_ERR_ACCESS_DENIED;
  }
  auto meta = call->host->store->HeadObject(View(bucket), View(key));
  if (!meta.ok()) return Fail(call, meta.status());
  call->tags = std::move(meta->tags);
  std::sort(call->tags.begin(), call->tags.end());
  call->tag_views = PairViews(call->tags);
  *tags = call->tag_views.data();
  *count = call->tag_views.size();
  return KUMO_OK;
}

kumo_status DeleteObject(kumo_call* call, kumo_string bucket, kumo_string key) {
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, "s3:DeleteObject", View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  storage::EventIntent intent = Intent(call, "ObjectRemoved:Delete");
  if (Status s = call->host->store->DeleteObject(View(bucket), View(key), &intent); !s.ok()) {
    return Fail(call, s);
  }
  return KUMO_OK;
}

kumo_status ListObjects(kumo_call* call, kumo_string bucket, kumo_string prefix,
                        kumo_string start_after, uint32_t max_keys, const kumo_list_entry** entries,
                        size_t* count, int* truncated) {
  if (entries == nullptr || count == nullptr || truncated == nullptr) {
    return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "list_objects: an out pointer is NULL");
  }
  *entries = nullptr;
  *count = 0;
  *truncated = 0;
  if (bucket.size == 0) return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "empty bucket name");
  if (max_keys > 1000) {
    return Fail(call, KUMO_ERR_INVALID_ARGUMENT, "list_objects: max_keys is at most 1000");
  }
  if (!Allowed(call, "s3:ListBucket", View(bucket), {})) return KUMO_ERR_ACCESS_DENIED;
  storage::ListOptions options;
  options.prefix = std::string(View(prefix));
  options.start_after = std::string(View(start_after));
  options.max_keys = max_keys == 0 ? 1000 : max_keys;
  auto listed = call->host->store->ListObjects(View(bucket), options);
  if (!listed.ok()) return Fail(call, listed.status());
  call->listing = std::move(listed).value();
  call->list_views.clear();
  call->list_views.reserve(call->listing.objects.size());
  for (const storage::ListEntry& e : call->listing.objects) {
    kumo_list_entry v{};
    v.struct_size = sizeof(v);
    v.key = Str(e.key);
    v.size = e.meta.size;
    v.mtime_ms = e.meta.mtime_ms;
    v.etag = Str(e.meta.etag);
    call->list_views.push_back(v);
  }
  *entries = call->list_views.data();
  *count = call->list_views.size();
  *truncated = call->listing.truncated ? 1 : 0;
  return KUMO_OK;
}

spdlog::level::level_enum SpdLevel(kumo_log_level level) {
  return level == KUMO_LOG_DEBUG  ? spdlog::level::debug
         : level == KUMO_LOG_INFO ? spdlog::level::info
         : level == KUMO_LOG_WARN ? spdlog::level::warn
                                  : spdlog::level::err;
}

void LogCall(kumo_call* call, kumo_log_level level, kumo_string message) {
  spdlog::log(SpdLevel(level), "function {} event {} s3://{}/{}: {}", call->host->function,
              call->event_seq, call->event_bucket, call->event_key, View(message));
}

// Both catalog calls write into what an object's catalog entry says: a write of the
// object's description, authorized on the object.
constexpr std::string_view kCatalogAction = "kumo:PutCatalogAttributes";

kumo_status CatalogPut(kumo_call* call, kumo_string bucket, kumo_string key, kumo_string etag,
                       kumo_string ns, kumo_string attributes, kumo_string text) {
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, kCatalogAction, View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  bool current = false;
  if (call->host->catalog == nullptr) {
    // Nothing to store into, but the answer about the version is the same.
    auto meta = call->host->store->HeadObject(View(bucket), View(key));
    if (!meta.ok() && meta.status().code() != ErrorCode::kNoSuchKey) {
      return Fail(call, meta.status());
    }
    current = meta.ok() && meta->etag == View(etag);
  } else {
    auto stored = call->host->catalog->PutAttributes(View(bucket), View(key), View(etag), View(ns),
                                                     View(attributes), View(text));
    if (!stored.ok()) return Fail(call, stored.status());
    current = *stored;
  }
  if (!current) {
    return Fail(call, KUMO_ERR_STALE,
                std::string("catalog_put: s3://")
                    .append(View(bucket))
                    .append("/")
                    .append(View(key))
                    .append(" is no longer the version with ETag ")
                    .append(View(etag))
                    .append(": nothing stored"));
  }
  return KUMO_OK;
}

kumo_status CatalogRemove(kumo_call* call, kumo_string bucket, kumo_string key, kumo_string ns) {
  if (!ValidKey(call, View(bucket), View(key))) return KUMO_ERR_INVALID_ARGUMENT;
  if (!Allowed(call, kCatalogAction, View(bucket), View(key))) return KUMO_ERR_ACCESS_DENIED;
  if (call->host->catalog == nullptr) return KUMO_OK;
  if (Status s = call->host->catalog->RemoveAttributes(View(bucket), View(key), View(ns));
      !s.ok()) {
    return Fail(call, s);
  }
  return KUMO_OK;
}

// The boundary: no exception unwinds into the plugin's C frames. Status-returning entries
// report what was thrown on the call they were given (the reader's or writer's call for
// those); the others swallow it.
kumo_call* CallOf(kumo_call* call) { return call; }
kumo_call* CallOf(kumo_reader* reader) { return reader->call; }
kumo_call* CallOf(kumo_writer* writer) { return writer->call; }

template <auto Fn, class First, class... Args>
auto Guarded(First first, Args... args) -> decltype(Fn(first, args...)) {
  using R = decltype(Fn(first, args...));
  try {
    return Fn(first, args...);
  } catch (const std::bad_alloc&) {
    if constexpr (std::is_same_v<R, kumo_status>) {
      return Fail(CallOf(first), KUMO_ERR_NO_MEMORY, "out of memory");
    }
  } catch (const std::exception& e) {
    if constexpr (std::is_same_v<R, kumo_status>) {
      try {
        return Fail(CallOf(first), KUMO_ERR_INTERNAL, e.what());
      } catch (...) {
        return KUMO_ERR_NO_MEMORY;
      }
    }
  } catch (...) {
    if constexpr (std::is_same_v<R, kumo_status>) return KUMO_ERR_INTERNAL;
  }
  if constexpr (std::is_same_v<R, kumo_string>) {
    return kumo_string{nullptr, 0};
  } else if constexpr (!std::is_void_v<R>) {
    return KUMO_ERR_INTERNAL;
  }
}

const kumo_host_api kApi = {
    sizeof(kumo_host_api),
    KUMO_PLUGIN_API_VERSION,
    &Guarded<Log>,
    &Guarded<LastError>,
    &Guarded<SetError>,
    &Guarded<OpenObject>,
    &Guarded<ReadObject>,
    &Guarded<CloseObject>,
    &Guarded<CreateObject>,
    &Guarded<PutMetadata>,
    &Guarded<WriteObject>,
    &Guarded<CommitObject>,
    &Guarded<AbortObject>,
    &Guarded<SetMetadata>,
    &Guarded<SetTags>,
    // since v2
    &Guarded<StatObject>,
    &Guarded<GetTags>,
    &Guarded<DeleteObject>,
    &Guarded<ListObjects>,
    &Guarded<LogCall>,
    &Guarded<CatalogPut>,
    &Guarded<CatalogRemove>,
};

}  // namespace

const kumo_host_api* PluginHostApi() { return &kApi; }

void InitCall(kumo_host* host, const storage::EventRecord& record, kumo_call* call) {
  call->host = host;
  call->event_seq = record.seq;
  call->event_depth = record.depth;
  call->event_bucket = record.bucket;
  call->event_key = record.key;
  call->access.emplace(&host->principal, record.bucket, record.key);
}

}  // namespace kumo::events
