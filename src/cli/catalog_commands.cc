#include "cli/catalog_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/admin_request.h"

namespace kumo::cli {
namespace {

constexpr const char* kStatusPath = "/_kumo/admin/catalog/status";

struct CatalogArgs {
  bool json = false;
  bool wait = false;
};

std::string Bytes(uint64_t n) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[u]);
  return buf;
}

void PrintStatus(const nlohmann::json& s) {
  char lag[32];
  std::snprintf(lag, sizeof(lag), "%.3f", s.value("lag_seconds", 0.0));
  std::cout << "cursor:      " << s.value("cursor", uint64_t{0}) << " (watermark "
            << s.value("watermark", uint64_t{0}) << ")\n"
            << "lag:         " << s.value("lag_events", uint64_t{0}) << " events, " << lag << " s\n"
            << "objects:     " << s.value("objects", int64_t{0}) << "\n"
            << "database:    " << Bytes(s.value("db_bytes", uint64_t{0})) << " ("
            << s.value("db_path", std::string()) << ")\n";
  if (s.value("rebuilding", false)) {
    std::cout << "rebuilding:  yes, " << s.value("rebuild_scanned", uint64_t{0})
              << " objects scanned\n";
  } else {
    auto rebuilt = s.find("rebuilt");
    std::cout << "rebuilding:  no (last rebuild "
              << (rebuilt != s.end() && rebuilt->is_string() ? rebuilt->get<std::string>()
                                                             : std::string("never"))
              << ")\n";
  }
  auto error = s.find("last_error");
  if (error != s.end() && error->is_string()) {
    std::cout << "errors:      " << s.value("errors", uint64_t{0})
              << ", last: " << error->get<std::string>() << "\n";
  }
}

int ShowStatus(const GlobalOptions& options, const CatalogArgs& a) {
  auto reply = AdminRequest(options, "GET", kStatusPath);
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2) << "\n";
  } else {
    PrintStatus(*reply);
  }
  return 0;
}

// The "rebuilt" time of a status reply ("" when never).
std::string RebuiltAt(const nlohmann::json& s) {
  auto it = s.find("rebuilt");
  return it != s.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int Rebuild(const GlobalOptions& options, const CatalogArgs& a) {
  auto before = AdminRequest(options, "GET", kStatusPath);
  if (!before) return 1;
  if (!AdminRequest(options, "POST", "/_kumo/admin/catalog/rebuild")) return 1;
  if (!a.wait) {
    std::cout << "catalog rebuild started (kumo catalog status shows its progress)\n";
    return 0;
  }
  uint64_t last = UINT64_MAX;
  for (;;) {
    auto s = AdminRequest(options, "GET", kStatusPath);
    if (!s) return 1;
    uint64_t scanned = s->value("rebuild_scanned", uint64_t{0});
    if (!s->value("rebuilding", false)) {
      if (RebuiltAt(*s) != RebuiltAt(*before)) {
        std::cout << "catalog rebuilt: " << scanned << " objects scanned, "
                  << s->value("objects", int64_t{0}) << " in the catalog\n";
        return 0;
      }
      // A rebuild that failed leaves the time of the last one that finished.
      std::cerr << "kumo: the rebuild failed: " << s->value("last_error", nlohmann::json()).dump()
                << "\n";
      return 1;
    }
    if (scanned != last) {
      std::cout << "rebuilding: " << scanned << " objects scanned\n" << std::flush;
      last = scanned;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace

void AddCatalogCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action) {
  CLI::App* catalog = app.add_subcommand("catalog", "inspect and rebuild the object catalog");
  catalog->require_subcommand(1);
  auto args = std::make_shared<CatalogArgs>();

  CLI::App* status =
      catalog->add_subcommand("status", "cursor, lag, objects and size of the catalog");
  status->add_flag("--json", args->json, "print the server's JSON");
  status->callback([&options, action, args] {
    *action = [&options, args] { return ShowStatus(options, *args); };
  });

  CLI::App* rebuild =
      catalog->add_subcommand("rebuild", "rebuild the catalog from the store (in the background)");
  rebuild->add_flag("--wait", args->wait, "wait until it is done, printing progress");
  rebuild->callback(
      [&options, action, args] { *action = [&options, args] { return Rebuild(options, *args); }; });
}

}  // namespace kumo::cli
