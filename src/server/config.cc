#include "server/config.h"

#include <toml++/toml.h>

#include <cstdlib>

#include "events/webhook_config.h"
#include "server/config_events.h"

extern char** environ;

namespace kumo::server {

namespace {

// Every key is reachable as KUMO_<SECTION>_<KEY>, e.g. KUMO_STORAGE_DATA_DIR.
template <class T>
struct Key {
  const char* section;
  const char* name;
  T Config::*field;
};

constexpr Key<std::string> kStringKeys[] = {
    {"server", "listen", &Config::listen},
    {"server", "tls_listen", &Config::tls_listen},
    {"server", "tls_cert", &Config::tls_cert},
    {"server", "tls_key", &Config::tls_key},
    {"server", "domain", &Config::domain},
    {"server", "region", &Config::region},
    {"s3", "default_object_ownership", &Config::default_object_ownership},
    {"storage", "data_dir", &Config::data_dir},
    {"credentials", "root_access_key", &Config::root_access_key},
    {"credentials", "root_secret_key", &Config::root_secret_key},
    {"log", "level", &Config::log_level},
    {"log", "format", &Config::log_format},
};
constexpr Key<int> kIntKeys[] = {
    {"server", "io_threads", &Config::io_threads},
    {"server", "blocking_threads", &Config::blocking_threads},
    {"server", "header_timeout_seconds", &Config::header_timeout_seconds},
    {"server", "idle_timeout_seconds", &Config::idle_timeout_seconds},
    {"server", "body_timeout_seconds", &Config::body_timeout_seconds},
    {"server", "max_connections", &Config::max_connections},
    {"storage", "compaction_interval_ms", &Config::compaction_interval_ms},
    {"events", "max_attempts", &Config::events_max_attempts},
    {"events", "max_chain_depth", &Config::events_max_chain_depth},
    {"catalog", "batch", &Config::catalog_batch},
};
constexpr Key<int64_t> kInt64Keys[] = {
    {"storage", "small_object_threshold", &Config::small_object_threshold},
    {"storage", "segment_target_bytes", &Config::segment_target_bytes},
    {"storage", "multipart_expiry_seconds", &Config::multipart_expiry_seconds},
    {"events", "initial_backoff_ms", &Config::events_initial_backoff_ms},
    {"events", "max_backoff_ms", &Config::events_max_backoff_ms},
    {"events", "retention_hours", &Config::events_retention_hours},
    {"events", "slow_delivery_warn_seconds", &Config::events_slow_delivery_warn_seconds},
    {"events", "outage_max_hours", &Config::events_outage_max_hours},
};
constexpr Key<double> kDoubleKeys[] = {
    {"storage", "compaction_dead_ratio", &Config::compaction_dead_ratio},
};
constexpr Key<bool> kBoolKeys[] = {
    {"storage", "sync", &Config::sync},
    {"log", "access_log", &Config::access_log},
    {"catalog", "enabled", &Config::catalog_enabled},
};

std::string EnvName(const char* section, const char* name) {
  std::string env = std::string("KUMO_") + section + "_" + name;
  for (auto& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

Status BadValue(const std::string& where, const std::string& value) {
  return Status::InvalidArgument("invalid value '" + value + "' for " + where);
}

Status ApplyEnv(Config* c) {
  for (const auto& k : kStringKeys) {
    if (const char* v = std::getenv(EnvName(k.section, k.name).c_str())) c->*k.field = v;
  }
  for (const auto& k : kIntKeys) {
    std::string env = EnvName(k.section, k.name);
    if (const char* v = std::getenv(env.c_str())) {
      char* end = nullptr;
      long n = std::strtol(v, &end, 10);
      if (*v == '\0' || *end != '\0') return BadValue(env, v);
      c->*k.field = static_cast<int>(n);
    }
  }
  for (const auto& k : kInt64Keys) {
    std::string env = EnvName(k.section, k.name);
    if (const char* v = std::getenv(env.c_str())) {
      char* end = nullptr;
      long long n = std::strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0') return BadValue(env, v);
      c->*k.field = n;
    }
  }
  for (const auto& k : kDoubleKeys) {
    std::string env = EnvName(k.section, k.name);
    if (const char* v = std::getenv(env.c_str())) {
      char* end = nullptr;
      double d = std::strtod(v, &end);
      if (*v == '\0' || *end != '\0') return BadValue(env, v);
      c->*k.field = d;
    }
  }
  for (const auto& k : kBoolKeys) {
    std::string env = EnvName(k.section, k.name);
    if (const char* v = std::getenv(env.c_str())) {
      std::string s = v;
      if (s == "true" || s == "1") {
        c->*k.field = true;
      } else if (s == "false" || s == "0") {
        c->*k.field = false;
      } else {
        return BadValue(env, s);
      }
    }
  }
  // The documented short names for the root key pair.
  if (const char* v = std::getenv("KUMO_ROOT_ACCESS_KEY")) c->root_access_key = v;
  if (const char* v = std::getenv("KUMO_ROOT_SECRET_KEY")) c->root_secret_key = v;
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  return events::MergeWebhookEnv(env, &c->webhooks);
}

// [notify.webhook.<ID>] tables: endpoint, secret, format, timeout_ms.
Status ReadWebhooks(const toml::table& t, Config* c) {
  const toml::node_view<const toml::node> webhooks = t["notify"]["webhook"];
  if (!webhooks) return Status::OK();
  if (!webhooks.is_table()) return Status::InvalidArgument("notify.webhook must be a table");
  for (const auto& [id, node] : *webhooks.as_table()) {
    const std::string where = "notify.webhook." + std::string(id.str());
    const toml::table* target = node.as_table();
    if (target == nullptr) return Status::InvalidArgument(where + " must be a table");
    events::WebhookConfig w;
    w.id = std::string(id.str());
    for (const auto& [key, value] : *target) {
      const std::string k(key.str());
      std::string* field = k == "endpoint" ? &w.endpoint
                           : k == "secret" ? &w.secret
                           : k == "format" ? &w.format
                                           : nullptr;
      if (field != nullptr && value.is_string()) {
        *field = *value.value<std::string>();
      } else if (k == "timeout_ms" && value.is_integer()) {
        w.timeout_ms = static_cast<int>(*value.value<int64_t>());
      } else {
        return Status::InvalidArgument(where + "." + k + " is unknown or has the wrong type");
      }
    }
    c->webhooks.push_back(std::move(w));
  }
  return Status::OK();
}

template <class T, class Keys>
Status ReadKeys(const toml::table& t, const Keys& keys, Config* c) {
  for (const auto& k : keys) {
    auto node = t[k.section][k.name];
    if (!node) continue;
    auto v = node.template value<T>();
    if (!v) {
      return Status::InvalidArgument(std::string("config key ") + k.section + "." + k.name +
                                     " has the wrong type");
    }
    c->*k.field = *v;
  }
  return Status::OK();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  if (!path.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return Status::InvalidArgument("cannot parse " + path + ": " + std::string(e.what()));
    }
    KUMO_RETURN_IF_ERROR(ReadKeys<std::string>(t, kStringKeys, &c));
    KUMO_RETURN_IF_ERROR(ReadKeys<int64_t>(t, kInt64Keys, &c));
    KUMO_RETURN_IF_ERROR(ReadKeys<double>(t, kDoubleKeys, &c));
    KUMO_RETURN_IF_ERROR(ReadKeys<bool>(t, kBoolKeys, &c));
    for (const auto& k : kIntKeys) {
      auto v = t[k.section][k.name].value<int64_t>();
      if (v) c.*k.field = static_cast<int>(*v);
    }
    KUMO_RETURN_IF_ERROR(ReadWebhooks(t, &c));
    KUMO_RETURN_IF_ERROR(ReadFunctions(t, ConfigDirectory(path), &c.functions));
    KUMO_RETURN_IF_ERROR(ReadBindings(t, &c.bindings));
  }
  KUMO_RETURN_IF_ERROR(ApplyEnv(&c));
  if (c.max_connections < 1) return Status::InvalidArgument("server.max_connections must be >= 1");
  if (c.default_object_ownership != "BucketOwnerEnforced" &&
      c.default_object_ownership != "BucketOwnerPreferred" &&
      c.default_object_ownership != "ObjectWriter") {
    return Status::InvalidArgument(
        "s3.default_object_ownership must be BucketOwnerEnforced, BucketOwnerPreferred or "
        "ObjectWriter");
  }
  if (c.events_max_attempts < 1 || c.events_initial_backoff_ms < 0 ||
      c.events_max_backoff_ms < c.events_initial_backoff_ms || c.events_retention_hours < 1 ||
      c.events_max_chain_depth < 0 || c.events_slow_delivery_warn_seconds < 1 ||
      c.events_outage_max_hours < 0) {
    return Status::InvalidArgument(
        "events: need max_attempts >= 1, 0 <= initial_backoff_ms <= max_backoff_ms, "
        "retention_hours >= 1, max_chain_depth >= 0, slow_delivery_warn_seconds >= 1 and "
        "outage_max_hours >= 0");
  }
  if (c.catalog_batch < 1 || c.catalog_batch > 100000) {
    return Status::InvalidArgument("catalog.batch must be between 1 and 100000");
  }
  return c;
}

Status CheckListeners(const Config& c) {
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return Status::InvalidArgument(
        "server.tls_cert and server.tls_key go together: set both to serve HTTPS, or neither");
  }
  if (c.listen.empty() && c.tls_cert.empty()) {
    return Status::InvalidArgument(
        "server.listen is empty (plain HTTP off) and TLS is not configured "
        "(server.tls_cert, server.tls_key): nothing to serve");
  }
  if (!c.tls_cert.empty() && c.tls_listen.empty()) {
    return Status::InvalidArgument("server.tls_listen is empty but TLS is configured");
  }
  return Status::OK();
}

Status SplitHostPort(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("listen must be HOST:PORT");
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  char* end = nullptr;
  long p = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || p < 0 || p > 65535 || colon + 1 == listen.size()) {
    return Status::InvalidArgument("bad port in " + listen);
  }
  *host = h;
  *port = static_cast<uint16_t>(p);
  return Status::OK();
}

}  // namespace kumo::server
