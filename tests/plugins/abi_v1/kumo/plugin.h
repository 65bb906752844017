/*
 * The Kumo plugin ABI (ARCHITECTURE §4): plain C, stable across compilers and kumod
 * releases of the same API version.
 *
 * A plugin is a shared library exporting one function, kumo_plugin_init. kumod loads it
 * with dlopen (RTLD_NOW | RTLD_LOCAL), calls kumo_plugin_init with the API version it
 * speaks, and the plugin fills in a kumo_plugin table: the API version it was built
 * against and three callbacks. kumod refuses the plugin at start-up, naming it, when the
 * entry point is missing, kumo_plugin_init fails, or the versions do not match.
 *
 * Each [functions.<name>] of kumod's configuration that names the library becomes one
 * function instance: create() gets the function's own configuration as JSON text and
 * the host API table. Then handle() runs once per event bound to the function
 * (arn:kumo:lambda:::function:<name>), on a dispatcher worker thread, never on an HTTP
 * thread. Delivery is at-least-once, in order per object key: make handlers idempotent
 * (the event sequence is a natural idempotency key).
 *
 * Rules of the boundary:
 * - Every struct starts with struct_size, set by whoever fills it in; fields are only
 *   ever appended, so a reader checks struct_size before touching a newer field.
 * - No allocation crosses the boundary: strings are (pointer, size) views owned by the
 *   side that passed them, valid for the duration of the call (or as documented).
 * - No C++ exception may cross it (plugin.hpp catches them at the boundary).
 * - handle() may be called from several threads at once when the function's concurrency
 *   is above 1, but never concurrently for two events of the same (bucket, key).
 */
#ifndef KUMO_PLUGIN_H
#define KUMO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change; kumod loads only plugins built for its version. */
#define KUMO_PLUGIN_API_VERSION 1u

#define KUMO_PLUGIN_ENTRY_POINT "kumo_plugin_init"

#if defined(__GNUC__) || defined(__clang__)
#define KUMO_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define KUMO_PLUGIN_EXPORT
#endif

/* A string view: not NUL-terminated unless stated; data may be NULL when size is 0. */
typedef struct kumo_string {
  const char* data;
  size_t size;
} kumo_string;

/* A name/value pair (user metadata, tags). */
typedef struct kumo_pair {
  kumo_string name;
  kumo_string value;
} kumo_pair;

/* The status of a host API call. On failure, last_error() has the details. */
typedef enum kumo_status {
  KUMO_OK = 0,
  KUMO_ERR_NO_SUCH_BUCKET = 1,
  KUMO_ERR_NO_SUCH_KEY = 2,
  KUMO_ERR_INVALID_ARGUMENT = 3, /* bad key, metadata or tags */
  KUMO_ERR_IO = 4,               /* storage failure: worth retrying */
  KUMO_ERR_INTERNAL = 5,
  /* Added in API version 1 with [functions.<name>] run_as: the function's principal may
     not do this (last_error() names the principal, the action and the resource). Nothing
     was read or changed. A plugin built against an older header sees an unknown non-zero
     status, i.e. a failure. */
  KUMO_ERR_ACCESS_DENIED = 6
} kumo_status;

/* What handle() returns. */
typedef enum kumo_result {
  KUMO_RESULT_SUCCESS = 0,
  KUMO_RESULT_RETRY = 1,     /* retryable failure: retried with backoff, then dead-lettered */
  KUMO_RESULT_PERMANENT = 2, /* permanent failure: dead-lettered at once */
  /* The target the function feeds cannot be reached (refused, timed out, 5xx, 429): not
     the event's fault. The handler pauses and probes with this event, nothing is
     dead-lettered during [events] outage_max_hours. A host that predates this value
     treats it as KUMO_RESULT_RETRY. */
  KUMO_RESULT_UNAVAILABLE = 3
} kumo_result;

typedef enum kumo_log_level {
  KUMO_LOG_DEBUG = 0,
  KUMO_LOG_INFO = 1,
  KUMO_LOG_WARN = 2,
  KUMO_LOG_ERROR = 3
} kumo_log_level;

/* Opaque host objects. */
typedef struct kumo_host kumo_host;     /* one per function instance; lives as long as it */
typedef struct kumo_call kumo_call;     /* one per handle() call; valid during it only */
typedef struct kumo_reader kumo_reader; /* an object opened for reading */
typedef struct kumo_writer kumo_writer; /* an object being written */

/* One event, as handle() receives it. Strings are valid during handle(). */
typedef struct kumo_event {
  uint32_t struct_size;
  uint32_t depth;           /* chain depth: 0 for a change made by a client */
  uint64_t sequence;        /* global, increasing; the idempotency key */
  uint64_t parent_sequence; /* the event whose handler caused this change, or 0 */
  int64_t time_ms;          /* commit time, milliseconds since the epoch */
  kumo_string name;         /* S3 event name without "s3:", e.g. "ObjectCreated:Put" */
  kumo_string bucket;
  kumo_string key;              /* the object key as stored (not URL-encoded) */
  uint64_t size;                /* object size; 0 for removals */
  kumo_string etag;             /* unquoted; empty for removals */
  kumo_string configuration_id; /* the Id of the binding rule that selected the event */
  kumo_string json;             /* the AWS S3 event message (eventVersion 2.1), as webhooks get */
} kumo_event;

/* What open_object reports. Strings are valid until close_object. */
typedef struct kumo_object_info {
  uint32_t struct_size;
  uint64_t size;
  int64_t mtime_ms;
  kumo_string etag; /* unquoted */
  kumo_string content_type;
} kumo_object_info;

/*
 * The host API. Functions taking a kumo_call act on behalf of the event being handled:
 * objects written or tagged through them produce events that carry this event's
 * sequence as their parent and its depth + 1 (chains stop at kumod's depth limit).
 * All functions are thread-safe; a reader or writer is used by one thread at a time.
 *
 * Every call that touches a bucket or an object is authorized first as the function's
 * principal, through the same access decision as an S3 request (bucket owner, user and
 * bucket policies, ACLs): the user named by [functions.<name>] run_as, or, without it,
 * a built-in principal that may read only the object of the event and write only into
 * the event's bucket. A call refused returns KUMO_ERR_ACCESS_DENIED. The actions:
 * open_object s3:GetObject, create_object and set_metadata s3:PutObject, set_tags
 * s3:PutObjectTagging (put_metadata, write_object and commit_object belong to the
 * create_object that was allowed).
 */
typedef struct kumo_host_api {
  uint32_t struct_size;
  uint32_t api_version; /* KUMO_PLUGIN_API_VERSION of kumod */

  /* Logs through kumod's logger, prefixed with the function's name. */
  void (*log)(kumo_host* host, kumo_log_level level, kumo_string message);

  /* The message of the last failed host call made with this call (or with a reader or
   * writer opened by it); valid until the next host call with it. */
  kumo_string (*last_error)(kumo_call* call);

  /* The reason kept with a RETRY or PERMANENT result (shown in dead letters and in
   * `kumo events ls`). The text is copied. */
  void (*set_error)(kumo_call* call, kumo_string message);

  /* Reading, streamed: open_object, read_object until *n_read is 0, close_object.
   * info may be NULL; when set, its struct_size must be filled in by the caller. */
  kumo_status (*open_object)(kumo_call* call, kumo_string bucket, kumo_string key,
                             kumo_reader** reader, kumo_object_info* info);
  kumo_status (*read_object)(kumo_reader* reader, void* buffer, size_t capacity, size_t* n_read);
  void (*close_object)(kumo_reader* reader);

  /* Writing, streamed: create_object, then any number of put_metadata and
   * write_object, then commit_object (which makes the object durable and visible, emits
   * ObjectCreated:Put, and always releases the writer) or abort_object. content_type
   * may be empty (application/octet-stream). Nothing is visible before the commit. */
  kumo_status (*create_object)(kumo_call* call, kumo_string bucket, kumo_string key,
                               kumo_string content_type, kumo_writer** writer);
  kumo_status (*put_metadata)(kumo_writer* writer, kumo_string name, kumo_string value);
  kumo_status (*write_object)(kumo_writer* writer, const void* data, size_t size);
  kumo_status (*commit_object)(kumo_writer* writer);
  void (*abort_object)(kumo_writer* writer);

  /* Adds or replaces user metadata entries (x-amz-meta-*, names without the prefix) of
   * an existing object, bytes and other entries untouched (2 KB in all, as S3). Emits no
   * event: annotations made by a function must not re-trigger the ObjectCreated
   * bindings that called it. */
  kumo_status (*set_metadata)(kumo_call* call, kumo_string bucket, kumo_string key,
                              const kumo_pair* pairs, size_t count);
  /* Replaces the tag set of an existing object (at most 10 tags, as S3); emits
   * ObjectTagging:Put. */
  kumo_status (*set_tags)(kumo_call* call, kumo_string bucket, kumo_string key,
                          const kumo_pair* tags, size_t count);
} kumo_host_api;

/* What kumo_plugin_init fills in. Pointers must stay valid while the library is loaded. */
typedef struct kumo_plugin {
  uint32_t struct_size; /* set by kumod before the call */
  uint32_t api_version; /* set by the plugin: the KUMO_PLUGIN_API_VERSION it was built with */
  const char* name;     /* NUL-terminated, for logs */
  const char* version;  /* NUL-terminated, for logs */

  /* Creates one function instance. config is the function's configuration as JSON text
   * (an object, "{}" when none). On failure, return non-zero and write a NUL-terminated
   * reason into error (at most error_capacity bytes): kumod refuses to start. */
  int (*create)(const kumo_host_api* api, kumo_host* host, kumo_string config, void** instance,
                char* error, size_t error_capacity);
  /* Destroys an instance at shutdown, after its last handle() returned. */
  void (*destroy)(void* instance);
  /* Handles one event. */
  kumo_result (*handle)(void* instance, const kumo_event* event, kumo_call* call);
} kumo_plugin;

/* The one entry point. host_api_version is kumod's KUMO_PLUGIN_API_VERSION. Return 0
 * after filling in plugin, non-zero when the plugin cannot work with this host. */
typedef int (*kumo_plugin_init_fn)(uint32_t host_api_version, kumo_plugin* plugin);

#ifdef __cplusplus
}
#endif

#endif /* KUMO_PLUGIN_H */
