#include "events/plugin_host.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <random>
#include <string_view>

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

// User metadata as S3 stores it: lower-case names, within S3's rules.
Status NormalizeMetadata(const kumo_pair* pairs, size_t count,
                         std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  for (size_t i = 0; i < count; ++i) {
    std::string name(View(pairs[i].name));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out->emplace_back(std::move(name), std::string(View(pairs[i].value)));
  }
  return ValidateUserMetadata(*out);
}

void Log(kumo_host* host, kumo_log_level level, kumo_string message) {
  auto spd = level == KUMO_LOG_DEBUG  ? spdlog::level::debug
             : level == KUMO_LOG_INFO ? spdlog::level::info
             : level == KUMO_LOG_WARN ? spdlog::level::warn
                                      : spdlog::level::err;
  spdlog::log(spd, "function {}: {}", host->function, View(message));
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
  w->meta.content_type =
      content_type.size == 0 ? std::string(kDefaultContentType) : std::string(View(content_type));
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
  auto updated =
      call->host->store->UpdateObjectMeta(View(bucket), View(key), [&](storage::ObjectMeta& m) {
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
      });
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

const kumo_host_api kApi = {
    sizeof(kumo_host_api),
    KUMO_PLUGIN_API_VERSION,
    &Log,
    &LastError,
    &SetError,
    &OpenObject,
    &ReadObject,
    &CloseObject,
    &CreateObject,
    &PutMetadata,
    &WriteObject,
    &CommitObject,
    &AbortObject,
    &SetMetadata,
    &SetTags,
};

}  // namespace

const kumo_host_api* PluginHostApi() { return &kApi; }

}  // namespace kumo::events
