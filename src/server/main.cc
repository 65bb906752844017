// kumod: the Kumo server. Loads the configuration, opens the store, serves S3 until
// SIGTERM/SIGINT, then stops accepting, finishes in-flight requests and closes the
// store (which flushes it).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <thread>

#include "admin/admin_api.h"
#include "http/server.h"
#include "s3/service.h"
#include "server/config.h"
#include "server/credentials.h"
#include "storage/store.h"

namespace {

void SetUpLogging(const kumo::server::Config& c) {
  auto logger = spdlog::stderr_color_mt("kumod");
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

}  // namespace

int main(int argc, char** argv) {
  // Signals are blocked before any thread starts (spdlog's flusher included), so every
  // thread inherits the mask and the waiter below is the only one that takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CLI::App app{"kumod: S3-compatible object store with function triggers"};
  std::string config_file, data_dir, listen;
  app.add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
  app.add_option("--data-dir", data_dir, "data directory (default ./data)");
  app.add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:9000)");
  CLI11_PARSE(app, argc, argv);

  auto loaded = kumo::server::LoadConfig(config_file);
  if (!loaded.ok()) {
    std::cerr << "kumod: " << loaded.status().message() << "\n";
    return 2;
  }
  kumo::server::Config config = std::move(loaded).value();
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!listen.empty()) config.listen = listen;
  SetUpLogging(config);
  if (!config.access_log) spdlog::set_level(spdlog::level::warn);

  kumo::http::ServerOptions http_options;
  if (auto s = kumo::server::SplitHostPort(config.listen, &http_options.host, &http_options.port);
      !s.ok()) {
    spdlog::critical("{}", s.message());
    return 2;
  }

  kumo::storage::StoreOptions store_options;
  store_options.data_dir = config.data_dir;
  store_options.small_object_threshold = static_cast<uint64_t>(config.small_object_threshold);
  store_options.segment_target_bytes = static_cast<uint64_t>(config.segment_target_bytes);
  store_options.compaction_dead_ratio = config.compaction_dead_ratio;
  store_options.compaction_interval_ms = config.compaction_interval_ms;
  store_options.sync = config.sync;
  store_options.multipart_expiry_ms = config.multipart_expiry_seconds * 1000;
  auto opened = kumo::storage::Store::Open(store_options);
  if (!opened.ok()) {
    spdlog::critical("cannot open data directory {}: {}", config.data_dir,
                     opened.status().message());
    return 1;
  }
  std::unique_ptr<kumo::storage::Store> store = std::move(opened).value();

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

  kumo::s3::ServiceOptions service_options;
  service_options.region = config.region;
  service_options.domain = config.domain;
  kumo::s3::S3Service service(store.get(), &credentials, service_options);
  kumo::admin::AdminApi admin(store.get(), &credentials, root->access_key);

  http_options.io_threads = config.io_threads;
  http_options.blocking_threads = config.blocking_threads;
  http_options.header_timeout_seconds = config.header_timeout_seconds;
  http_options.idle_timeout_seconds = config.idle_timeout_seconds;
  http_options.body_timeout_seconds = config.body_timeout_seconds;
  kumo::http::Server server(http_options, &service,
                            [&admin](const kumo::HttpRequest& r) { return admin.Handle(r); });
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  admin.SetReady(true);
  spdlog::info("kumod listening on {}:{} (data in {})", http_options.host, server.port(),
               config.data_dir);

  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: shutting down", sig);
    admin.SetReady(false);
    server.Stop();
  });
  server.Run();
  // Run returns after Stop; if it returned for another reason, release the waiter.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  store.reset();
  spdlog::info("kumod stopped");
  spdlog::shutdown();
  return 0;
}
