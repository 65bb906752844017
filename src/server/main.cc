// kumod: the Kumo server. Loads the configuration, opens the store, serves S3 (HTTP
// and/or HTTPS) until SIGTERM/SIGINT, then stops accepting, finishes in-flight requests
// and closes the store (which flushes it). SIGHUP reloads the TLS certificate and key.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "admin/admin_api.h"
#include "catalog/catalog.h"
#include "events/arn.h"
#include "events/built_in_functions.h"
#include "events/catalog_sink.h"
#include "events/dispatcher.h"
#include "events/function_handler.h"
#include "events/webhook_config.h"
#include "http/server.h"
#include "http/tls.h"
#include "policy/access_cache.h"
#include "s3/bucket_access_config.h"
#include "s3/service.h"
#include "server/buffered_stderr_sink.h"
#include "server/config.h"
#include "server/credentials.h"
#include "server/master_key.h"
#include "server/request_router.h"
#include "storage/store.h"

namespace {

void SetUpLogging(const kumo::server::Config& c) {
  // A terminal gets every line at once (and colors); a file, pipe or journal gets them
  // in large writes, within a second, and warnings and errors at once.
  std::shared_ptr<spdlog::logger> logger;
  if (isatty(STDERR_FILENO)) {
    logger = spdlog::stderr_color_mt("kumod");
  } else {
    logger = std::make_shared<spdlog::logger>("kumod",
                                              std::make_shared<kumo::server::BufferedStderrSink>());
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
  }
  if (c.log_format == "json") {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  spdlog::flush_every(std::chrono::seconds(1));
}

// Where a built-in function's library is (functions/<name>/<name>.so): beside kumod in
// the build tree, or where `cmake --install` puts it relative to the binary.
std::string BuiltInPluginPath(std::string_view name) {
  const std::string file = std::string(name).append(".so");
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path dir = ec ? std::filesystem::path(".") : exe.parent_path();
  for (const auto& candidate :
       {dir / "functions" / name / file, dir / KUMO_INSTALLED_FUNCTIONS_DIR / file}) {
    if (std::filesystem::exists(candidate, ec)) return candidate.lexically_normal().string();
  }
  return (dir / KUMO_INSTALLED_FUNCTIONS_DIR / file).lexically_normal().string();
}

bool AddFunction(const kumo::events::FunctionConfig& f, kumo::storage::Store* store,
                 kumo::policy::AccessCache* access, kumo::events::CatalogSink* catalog,
                 std::vector<std::unique_ptr<kumo::events::Handler>>* handlers) {
  // Resolved at each call (users may be added later); a name unknown now is worth a word.
  if (!f.run_as.empty() && !access->IsRoot(f.run_as)) {
    auto user = access->User(f.run_as);
    if (!user.ok() && user.status().code() == kumo::ErrorCode::kInvalidAccessKeyId) {
      spdlog::warn(
          "function {}: run_as {} names no user yet: its host calls are denied until "
          "`kumo user add {}`",
          f.name, f.run_as, f.run_as);
    }
  }
  auto h = kumo::events::FunctionHandler::Create(f, store, access, catalog);
  if (!h.ok()) {
    spdlog::critical("{}", h.status().message());
    return false;
  }
  spdlog::info(
      "function {} ({} {} from {}, concurrency {}, running as {})", (*h)->arn(),
      (*h)->plugin_name(), (*h)->plugin_version(), f.plugin, f.concurrency,
      f.run_as.empty() ? kumo::events::BuiltInPrincipalId(f.name) + " (built-in)" : f.run_as);
  handlers->push_back(std::move(h).value());
  return true;
}

// The handlers events are delivered to: the webhook targets, the plugin functions of
// the configuration, and the built-in functions (configured or not). Any error is fatal
// at start-up and names the handler.
bool BuildHandlers(const kumo::server::Config& c, kumo::storage::Store* store,
                   kumo::policy::AccessCache* access, kumo::events::CatalogSink* catalog,
                   std::vector<std::unique_ptr<kumo::events::Handler>>* handlers) {
  for (const auto& w : c.webhooks) {
    auto f = kumo::events::WebhookFunction(w, BuiltInPluginPath("notify"));
    auto h = f.ok() ? kumo::events::FunctionHandler::Create(*f, store, access) : f.status();
    if (!h.ok()) {
      spdlog::critical("{}", h.status().message());
      return false;
    }
    spdlog::info("webhook target {} ({} format{})", (*h)->arn(), w.format,
                 w.secret.empty() ? "" : ", signed");
    handlers->push_back(std::move(h).value());
  }
  std::set<std::string, std::less<>> configured;
  for (kumo::events::FunctionConfig f : c.functions) {
    configured.insert(f.name);
    if (f.plugin.empty()) f.plugin = BuiltInPluginPath(f.name);  // a built-in, tuned
    if (!AddFunction(f, store, access, catalog, handlers)) return false;
  }
  for (std::string_view name : kumo::events::BuiltInFunctions()) {
    if (configured.count(name) > 0) continue;
    kumo::events::FunctionConfig f;
    f.name = std::string(name);
    f.plugin = BuiltInPluginPath(name);
    std::error_code ec;
    if (!std::filesystem::exists(f.plugin, ec)) {
      // An installation without it (a partial build): the ARN is then unknown, and
      // bindings naming it are refused as for any unknown function.
      spdlog::warn("built-in function {} is not installed ({} is missing)", name, f.plugin);
      continue;
    }
    if (!AddFunction(f, store, access, catalog, handlers)) return false;
  }
  return true;
}

// Bindings of the configuration file must name configured handlers.
bool CheckBindings(const kumo::server::Config& c,
                   const std::vector<std::unique_ptr<kumo::events::Handler>>& handlers) {
  for (const auto& b : c.bindings) {
    bool known = false;
    for (const auto& h : handlers) known = known || kumo::events::SameArn(h->arn(), b.rule.arn);
    if (!known) {
      spdlog::critical("binding {} (bucket {}) names no configured handler: {}", b.rule.id,
                       b.bucket, b.rule.arn);
      return false;
    }
    spdlog::info("binding {}: bucket {} -> {}", b.rule.id, b.bucket, b.rule.arn);
  }
  return true;
}

std::string EnvOr(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// Connections and files each take a descriptor; the soft limit (often 1024) is raised
// to the hard one, so that server.max_connections, not the shell's default, bounds them.
void RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    spdlog::info("open file limit raised from {} to {}", before, limit.rlim_cur);
  }
}

void LogCertificate(const kumo::http::TlsCertificate& cert, const std::string& file) {
  spdlog::info("TLS certificate {}: subject {}, valid until {}", file, cert.subject(),
               cert.not_after());
  if (cert.expired()) {
    spdlog::warn("TLS certificate {} expired on {}: clients will refuse it", file,
                 cert.not_after());
  }
}

// SIGHUP: the certificate and key files are read again into a new context; new
// connections use it, open ones keep theirs. A file that does not load changes nothing.
void ReloadCertificate(const kumo::server::Config& c, kumo::http::Server* server) {
  if (c.tls_cert.empty()) {
    spdlog::info("SIGHUP: TLS is not configured, nothing to reload");
    return;
  }
  auto cert = kumo::http::TlsCertificate::Load(c.tls_cert, c.tls_key);
  if (!cert.ok()) {
    spdlog::error("SIGHUP: TLS reload failed, still serving the previous certificate: {}",
                  cert.status().message());
    return;
  }
  LogCertificate(**cert, c.tls_cert);
  server->SetTlsCertificate(std::move(cert).value());
  spdlog::info("SIGHUP: TLS certificate reloaded; new connections use it");
}

kumo::events::DispatcherOptions DispatcherOptionsFrom(const kumo::server::Config& c) {
  kumo::events::DispatcherOptions o;
  o.max_attempts = c.events_max_attempts;
  o.initial_backoff_ms = c.events_initial_backoff_ms;
  o.max_backoff_ms = c.events_max_backoff_ms;
  o.retention_ms = c.events_retention_hours * 3600 * 1000;
  o.slow_delivery_warn_ms = c.events_slow_delivery_warn_seconds * 1000;
  o.outage_max_ms = c.events_outage_max_hours * 3600 * 1000;
  o.max_chain_depth = static_cast<uint32_t>(c.events_max_chain_depth);
  o.region = c.region;
  o.bindings = c.bindings;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are blocked before any thread starts (spdlog's flusher included), so every
  // thread inherits the mask and the waiter below is the only one that takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CLI::App app{"kumod: S3-compatible object store with function triggers"};
  std::string config_file, data_dir, listen, tls_listen;
  bool rotate_master_key = false;
  app.add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
  app.add_option("--data-dir", data_dir, "data directory (default ./data)");
  auto* listen_flag = app.add_option(
      "--listen", listen, "HOST:PORT for plain HTTP (default 127.0.0.1:9000; \"\": off)");
  auto* tls_listen_flag =
      app.add_option("--tls-listen", tls_listen,
                     "HOST:PORT for HTTPS, served when server.tls_cert and server.tls_key are "
                     "set (default 127.0.0.1:9443)");
  app.add_flag("--rotate-master-key", rotate_master_key,
               "replace <data_dir>/master-key with a new key and reseal stored secrets with it");
  CLI11_PARSE(app, argc, argv);
  // Everything kumod creates (index files, blobs, credentials) is its user's alone.
  ::umask(077);

  auto loaded = kumo::server::LoadConfig(config_file);
  if (!loaded.ok()) {
    std::cerr << "kumod: " << loaded.status().message() << "\n";
    return 2;
  }
  kumo::server::Config config = std::move(loaded).value();
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (listen_flag->count() > 0) config.listen = listen;
  if (tls_listen_flag->count() > 0) config.tls_listen = tls_listen;
  SetUpLogging(config);
  if (!config.access_log) spdlog::set_level(spdlog::level::warn);
  RaiseFileLimit();

  kumo::http::ServerOptions http_options;
  if (auto s = kumo::server::CheckListeners(config); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 2;
  }
  http_options.plain = !config.listen.empty();
  if (http_options.plain) {
    if (auto s = kumo::server::SplitHostPort(config.listen, &http_options.host, &http_options.port);
        !s.ok()) {
      spdlog::critical("server.listen: {}", s.message());
      return 2;
    }
  }
  if (!config.tls_cert.empty()) {
    if (auto s = kumo::server::SplitHostPort(config.tls_listen, &http_options.tls_host,
                                             &http_options.tls_port);
        !s.ok()) {
      spdlog::critical("server.tls_listen: {}", s.message());
      return 2;
    }
    // Checked before anything else starts: a server that cannot serve the HTTPS it was
    // asked for does not start.
    auto cert = kumo::http::TlsCertificate::Load(config.tls_cert, config.tls_key);
    if (!cert.ok()) {
      spdlog::critical("cannot serve HTTPS: {} (server.tls_cert, server.tls_key)",
                       cert.status().message());
      return 2;
    }
    LogCertificate(**cert, config.tls_cert);
    http_options.tls_certificate = std::move(cert).value();
  }

  kumo::storage::StoreOptions store_options;
  store_options.data_dir = config.data_dir;
  store_options.small_object_threshold = static_cast<uint64_t>(config.small_object_threshold);
  store_options.segment_target_bytes = static_cast<uint64_t>(config.segment_target_bytes);
  store_options.compaction_dead_ratio = config.compaction_dead_ratio;
  store_options.compaction_interval_ms = config.compaction_interval_ms;
  store_options.sync = config.sync;
  store_options.multipart_expiry_ms = config.multipart_expiry_seconds * 1000;
  std::error_code mkdir_error;
  std::filesystem::create_directories(config.data_dir, mkdir_error);
  auto master =
      kumo::server::ResolveMasterKey(config.data_dir, EnvOr("KUMO_MASTER_KEY"),
                                     EnvOr("KUMO_MASTER_KEY_PREVIOUS"), rotate_master_key);
  if (!master.ok()) {
    spdlog::critical("master key: {}", master.status().message());
    return 2;
  }
  store_options.master_key = master->current;
  store_options.previous_master_key = master->previous;
  auto opened = kumo::storage::Store::Open(store_options);
  if (!opened.ok()) {
    spdlog::critical("cannot open data directory {}: {}", config.data_dir,
                     opened.status().message());
    return 1;
  }
  std::unique_ptr<kumo::storage::Store> store = std::move(opened).value();
  if (auto s = kumo::server::FinishMasterKeyRotation(*master); !s.ok()) {
    spdlog::critical("master key: {}", s.message());
    return 1;
  }

  auto root = kumo::server::ResolveRootCredentials(config.root_access_key, config.root_secret_key,
                                                   config.data_dir);
  if (!root.ok()) {
    spdlog::critical("{}", root.status().message());
    return 2;
  }
  if (root->generated) {
    std::cout << "Root credentials generated (kept in " << config.data_dir
              << "/root-credentials):\n"
              << "  AWS_ACCESS_KEY_ID=" << root->access_key << "\n"
              << "  AWS_SECRET_ACCESS_KEY=" << root->secret_key << "\n"
              << std::flush;
  } else {
    spdlog::info("root access key: {}", root->access_key);
  }
  kumo::server::StoreCredentials credentials(root->access_key, root->secret_key, store.get());
  kumo::policy::AccessCache access(root->access_key, kumo::s3::StoreBucketLoader(store.get()),
                                   kumo::s3::StoreUserLoader(store.get()));

  // The object catalog: opened after the store it follows, started before S3 is served,
  // stopped after the dispatcher (whose functions write to it) and before the store
  // closes. Null when catalog.enabled is false. catalog_sink is what function hosts write
  // attributes through (events::CatalogSink); null when the catalog is off.
  kumo::catalog::CatalogOptions catalog_options;
  catalog_options.data_dir = config.data_dir;
  catalog_options.enabled = config.catalog_enabled;
  catalog_options.batch = static_cast<size_t>(config.catalog_batch);
  auto catalog_opened = kumo::catalog::Catalog::Open(catalog_options, store.get());
  if (!catalog_opened.ok()) {
    spdlog::critical("cannot open the catalog in {}: {}", config.data_dir,
                     catalog_opened.status().message());
    return 1;
  }
  std::unique_ptr<kumo::catalog::Catalog> catalog = std::move(catalog_opened).value();
  if (catalog != nullptr) {
    if (auto s = catalog->Start(); !s.ok()) {
      spdlog::critical("cannot start the catalog: {}", s.message());
      return 1;
    }
  }
  kumo::events::CatalogSink* catalog_sink = catalog.get();

  // Declared before the dispatcher that holds them and after the store and the access
  // cache they use (function host calls are decided as their principal).
  std::vector<std::unique_ptr<kumo::events::Handler>> handlers;
  if (!BuildHandlers(config, store.get(), &access, catalog_sink, &handlers) ||
      !CheckBindings(config, handlers)) {
    return 2;
  }

  // Started before S3 is served, stopped after it (before the store closes).
  kumo::events::Dispatcher dispatcher(store.get(), DispatcherOptionsFrom(config),
                                      std::move(handlers));
  if (auto s = dispatcher.Start(); !s.ok()) {
    spdlog::critical("cannot start the event dispatcher: {}", s.message());
    return 1;
  }

  kumo::s3::ServiceOptions service_options;
  service_options.region = config.region;
  service_options.domain = config.domain;
  service_options.access = &access;
  service_options.default_object_ownership = config.default_object_ownership;
  service_options.known_arn = [&dispatcher](const std::string& arn) {
    return dispatcher.HasHandler(arn);
  };
  service_options.on_notification_config = [&dispatcher](const std::string& bucket,
                                                         const std::vector<std::string>& arns) {
    dispatcher.InvalidateBucket(bucket);
    std::set<std::string> sent;
    for (const auto& arn : arns) {
      // As S3: queues and topics get an s3:TestEvent, functions do not.
      if (kumo::events::IsFunctionArn(arn)) continue;
      if (sent.insert(kumo::events::CanonicalArn(arn)).second)
        dispatcher.SendTestEvent(arn, bucket);
    }
  };
  kumo::s3::S3Service service(store.get(), &credentials, service_options);
  kumo::admin::AdminApi admin(store.get(), &credentials, &access);
  admin.SetDispatcher(&dispatcher);
  admin.SetCatalog(catalog.get());

  http_options.io_threads = config.io_threads;
  http_options.blocking_threads = config.blocking_threads;
  http_options.header_timeout_seconds = config.header_timeout_seconds;
  http_options.idle_timeout_seconds = config.idle_timeout_seconds;
  http_options.body_timeout_seconds = config.body_timeout_seconds;
  http_options.max_connections = config.max_connections;
  kumo::admin::AdminHandler admin_handler(&admin);
  kumo::server::RequestRouter router(&admin_handler, &service);
  auto server = std::make_unique<kumo::http::Server>(http_options, &router);
  if (auto s = server->Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  admin.SetReady(true);
  if (http_options.plain) {
    spdlog::info("kumod listening on {}:{} (data in {})", http_options.host, server->port(),
                 config.data_dir);
  }
  if (http_options.tls_certificate) {
    spdlog::info("kumod listening for HTTPS on {}:{} (data in {})", http_options.tls_host,
                 server->tls_port(), config.data_dir);
  }

  std::thread signal_waiter([&] {
    int sig = 0;
    for (;;) {
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig != SIGHUP) break;
      ReloadCertificate(config, server.get());
    }
    spdlog::info("signal {}: shutting down", sig);
    admin.SetReady(false);
    server->Stop();
  });
  server->Run();
  // Run returns after Stop; if it returned for another reason, release the waiter.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  // Teardown in dependency order: the HTTP server first (its blocking pool joined, so
  // commits still running there finish; the sessions it never resumed are destroyed with
  // their writers), then the dispatcher, the catalog, then the store they all use.
  server.reset();
  dispatcher.Stop();
  if (catalog != nullptr) catalog->Stop();
  if (int stuck = kumo::events::AbandonedCalls(); stuck > 0) {
    // Those calls still use their function instances, the host and the store: tearing
    // them down would pull the ground from under them. Exit as after kill -9, which
    // loses nothing acknowledged (every write is synced before it is acknowledged).
    spdlog::warn("kumod stopped with {} function call(s) still running past their timeout", stuck);
    spdlog::shutdown();
    std::_Exit(0);
  }
  catalog.reset();
  store.reset();
  spdlog::info("kumod stopped");
  spdlog::shutdown();
  return 0;
}
