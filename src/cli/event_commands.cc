#include "cli/event_commands.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/admin_request.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

struct EventsArgs {
  std::string bucket;
  std::string key;
  std::string since;
  uint64_t after = 0;
  size_t limit = 100;
  uint64_t seq = 0;
  bool json = false;
};

std::string Outcomes(const nlohmann::json& e) {
  std::string out;
  for (const auto& o : e.value("outcomes", nlohmann::json::array())) {
    if (!out.empty()) out += ", ";
    out += o.value("handler", "?") + "=" + o.value("status", "?");
    if (o.contains("error") && o["error"].is_string() && !o["error"].get<std::string>().empty()) {
      out += " (" + o["error"].get<std::string>() + ")";
    }
  }
  return out.empty() ? "-" : out;
}

void PrintEvent(const nlohmann::json& e, const std::string& indent) {
  std::cout << indent << e.value("seq", uint64_t{0}) << "  " << e.value("time", "") << "  "
            << e.value("name", "") << "  s3://" << e.value("bucket", "") << "/"
            << e.value("key", "") << "  size=" << e.value("size", uint64_t{0});
  if (e.contains("parent")) {
    std::cout << "  parent=" << e.value("parent", uint64_t{0})
              << " depth=" << e.value("depth", uint32_t{0});
  }
  std::cout << "  handlers: " << Outcomes(e) << "\n";
}

int List(const GlobalOptions& options, const EventsArgs& a) {
  std::string query = "limit=" + std::to_string(a.limit);
  if (!a.bucket.empty()) query += "&bucket=" + UrlEncode(a.bucket);
  if (!a.key.empty()) query += "&key=" + UrlEncode(a.key);
  if (!a.since.empty()) query += "&since=" + UrlEncode(a.since);
  if (a.after > 0) query += "&after=" + std::to_string(a.after);
  auto reply = AdminRequest(options, "GET", "/_kumo/admin/events?" + query);
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2) << "\n";
    return 0;
  }
  for (const auto& e : reply->value("events", nlohmann::json::array())) PrintEvent(e, "");
  if (reply->contains("next_after")) {
    std::cout << "(more: --after " << (*reply)["next_after"].dump() << ")\n";
  }
  return 0;
}

int Trace(const GlobalOptions& options, const EventsArgs& a) {
  auto reply =
      AdminRequest(options, "GET", "/_kumo/admin/events/" + std::to_string(a.seq) + "/trace");
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2) << "\n";
    return 0;
  }
  PrintEvent(reply->value("root", nlohmann::json::object()), "");
  for (const auto& e : reply->value("caused", nlohmann::json::array())) {
    std::string indent(2 * e.value("depth", 1), ' ');
    PrintEvent(e, indent + "└ ");
  }
  return 0;
}

}  // namespace

void AddEventCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action) {
  CLI::App* events = app.add_subcommand("events", "inspect the event log");
  events->require_subcommand(1);
  auto args = std::make_shared<EventsArgs>();

  CLI::App* ls = events->add_subcommand("ls", "list events with each handler's outcome");
  ls->add_option("--bucket", args->bucket, "only events of this bucket");
  ls->add_option("--key", args->key, "only events of this key");
  ls->add_option("--since", args->since, "ISO 8601 time or unix milliseconds");
  ls->add_option("--after", args->after, "only sequences after this one (paging)");
  ls->add_option("--limit", args->limit, "at most this many events (default 100)");
  ls->add_flag("--json", args->json, "print the server's JSON");
  ls->callback(
      [&options, action, args] { *action = [&options, args] { return List(options, *args); }; });

  CLI::App* trace = events->add_subcommand("trace", "show the chain of events SEQ caused");
  trace->add_option("seq", args->seq, "event sequence")->required();
  trace->add_flag("--json", args->json, "print the server's JSON");
  trace->callback(
      [&options, action, args] { *action = [&options, args] { return Trace(options, *args); }; });
}

}  // namespace kumo::cli
