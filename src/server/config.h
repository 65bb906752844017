// kumod's configuration: embedded defaults, then the TOML file, then KUMO_* environment
// variables, then command-line flags (each layer overrides the previous one).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "events/function_config.h"
#include "events/notification_config.h"
#include "events/webhook_config.h"

namespace kumo::server {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:9000";  // plain HTTP; empty: none (HTTPS only)
  // HTTPS, served when tls_cert and tls_key (PEM files) are set; SIGHUP reloads them.
  std::string tls_listen = "127.0.0.1:9443";
  std::string tls_cert;  // certificate chain, leaf first
  std::string tls_key;
  int io_threads = 0;  // 0: one per core
  int blocking_threads = 32;
  std::string domain;  // enables virtual-hosted style: <bucket>.<domain>
  std::string region = "us-east-1";
  // [s3]
  // Object ownership of buckets created without x-amz-object-ownership. BucketOwnerEnforced
  // (ACLs off, the bucket owner owns every object) is AWS's default since 2023.
  std::string default_object_ownership = "BucketOwnerEnforced";
  int header_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int body_timeout_seconds = 60;
  int max_connections = 4096;  // open connections; accepts wait above it
  // [storage]
  std::string data_dir = "./data";
  int64_t small_object_threshold = 1 << 20;
  int64_t segment_target_bytes = 64ll << 20;
  double compaction_dead_ratio = 0.5;
  int compaction_interval_ms = 10000;
  int64_t multipart_expiry_seconds = 7 * 24 * 3600;  // abandoned uploads; 0 = never
  bool sync = true;
  // [credentials]
  std::string root_access_key;
  std::string root_secret_key;
  // [log]
  std::string log_level = "info";
  std::string log_format = "text";  // or "json"
  bool access_log = true;
  // [events]: delivery to handlers (events/dispatcher.h)
  int events_max_attempts = 5;
  int64_t events_initial_backoff_ms = 200;
  int64_t events_max_backoff_ms = 30000;
  int64_t events_retention_hours = 7 * 24;
  int64_t events_slow_delivery_warn_seconds = 60;
  int64_t events_outage_max_hours = 24;  // unavailable targets: pause this long, then fail
  int events_max_chain_depth = 8;
  // [catalog]: the object catalog (catalog/catalog.h), <data_dir>/catalog/catalog.db
  bool catalog_enabled = true;
  int catalog_batch = 512;  // events applied per transaction
  // [notify.webhook.<ID>] tables, then KUMO_NOTIFY_WEBHOOK_*_<ID> (events/webhook_config.h)
  std::vector<events::WebhookConfig> webhooks;
  // [functions.<name>] tables: plugin functions (config_events.cc)
  std::vector<events::FunctionConfig> functions;
  // [[bindings]]: default bindings, added to every matching bucket's own configuration
  std::vector<events::StaticBinding> bindings;
};

// Reads the TOML file at path (empty: none) over the defaults, then applies the
// environment. Errors: kInvalidArgument naming the bad key or file.
Result<Config> LoadConfig(const std::string& path);

// After every layer (flags included): the listeners make sense together. Errors:
// kInvalidArgument when only one of tls_cert/tls_key is set, or when plain HTTP is off
// (empty listen) and TLS is not configured.
Status CheckListeners(const Config& c);

// Splits "host:port" (IPv6 as "[::1]:9000"). Errors: kInvalidArgument.
Status SplitHostPort(const std::string& listen, std::string* host, uint16_t* port);

}  // namespace kumo::server
