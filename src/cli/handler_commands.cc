#include "cli/handler_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/admin_request.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

struct HandlersArgs {
  std::string name;
  std::string from;
  bool json = false;
};

std::string Field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int List(const GlobalOptions& options, const HandlersArgs& a) {
  auto reply = AdminRequest(options, "GET", "/_kumo/admin/handlers");
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2) << "\n";
    return 0;
  }
  static const char* kColumns[] = {"name",      "arn",    "cursor",       "lag",
                                   "delivered", "failed", "dead_lettered"};
  static const char* kHeaders[] = {"NAME", "ARN", "CURSOR", "LAG", "DELIVERED", "FAILED", "DEAD"};
  constexpr size_t kN = std::size(kColumns);
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back(std::begin(kHeaders), std::end(kHeaders));
  for (const auto& h : reply->value("handlers", nlohmann::json::array())) {
    std::vector<std::string> row;
    for (const char* c : kColumns) row.push_back(Field(h, c));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(kN, 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < kN; ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < kN; ++i) {
      line += row[i];
      if (i + 1 < kN) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
  for (const auto& h : reply->value("handlers", nlohmann::json::array())) {
    auto since = h.find("unavailable_since");
    if (since == h.end() || !since->is_string()) continue;
    std::cout << Field(h, "name") << ": unavailable since " << since->get<std::string>() << ", "
              << Field(h, "waiting") << " events waiting (" << Field(h, "unavailable_reason")
              << ")\n";
  }
  return 0;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Replay(const GlobalOptions& options, const HandlersArgs& a) {
  // An integer is a sequence; anything else (ISO 8601) is a time.
  std::string query = AllDigits(a.from) ? "from=" + a.from : "since=" + UrlEncode(a.from);
  auto reply = AdminRequest(options, "POST",
                            "/_kumo/admin/handlers/" + UrlEncode(a.name) + "/replay?" + query);
  if (!reply) return 1;
  std::cout << "replaying " << a.name << " from sequence " << Field(*reply, "from") << "\n";
  return 0;
}

}  // namespace

void AddHandlerCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action) {
  CLI::App* handlers = app.add_subcommand("handlers", "inspect and replay event handlers");
  handlers->require_subcommand(1);
  auto args = std::make_shared<HandlersArgs>();

  CLI::App* ls = handlers->add_subcommand("ls", "list handlers with cursor, lag and counters");
  ls->add_flag("--json", args->json, "print the server's JSON");
  ls->callback(
      [&options, action, args] { *action = [&options, args] { return List(options, *args); }; });

  CLI::App* replay = handlers->add_subcommand("replay", "re-deliver events from a point on");
  replay->add_option("name", args->name, "handler name (e.g. webhook:ID)")->required();
  replay->add_option("--from", args->from, "sequence number, or ISO 8601 time")->required();
  replay->callback(
      [&options, action, args] { *action = [&options, args] { return Replay(options, *args); }; });
}

}  // namespace kumo::cli
