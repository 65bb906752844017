#include "cli/deadletter_commands.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/admin_request.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

struct DeadLetterArgs {
  std::string handler;
  uint64_t seq = 0;
  bool json = false;
};

std::string LetterPath(const DeadLetterArgs& a) {
  return "/_kumo/admin/deadletters/" + UrlEncode(a.handler) + "/" + std::to_string(a.seq);
}

int List(const GlobalOptions& options, const DeadLetterArgs& a) {
  std::string path = "/_kumo/admin/deadletters";
  if (!a.handler.empty()) path += "?handler=" + UrlEncode(a.handler);
  auto reply = AdminRequest(options, "GET", path);
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2) << "\n";
    return 0;
  }
  for (const auto& d : reply->value("deadletters", nlohmann::json::array())) {
    std::cout << d.value("seq", uint64_t{0}) << "  " << d.value("handler", "") << "  "
              << d.value("time", "") << "  " << d.value("event", "") << "  s3://"
              << d.value("bucket", "") << "/" << d.value("key", "")
              << "  rule=" << d.value("rule_id", "") << "  attempts=" << d.value("attempts", 0)
              << "  error: " << d.value("error", "") << "\n";
  }
  return 0;
}

int Retry(const GlobalOptions& options, const DeadLetterArgs& a) {
  if (!AdminRequest(options, "POST", LetterPath(a) + "/retry")) return 1;
  std::cout << "delivered dead letter " << a.seq << " to " << a.handler << "\n";
  return 0;
}

int Drop(const GlobalOptions& options, const DeadLetterArgs& a) {
  if (!AdminRequest(options, "DELETE", LetterPath(a))) return 1;
  std::cout << "dropped dead letter " << a.seq << " of " << a.handler << "\n";
  return 0;
}

}  // namespace

void AddDeadLetterCommands(CLI::App& app, const GlobalOptions& options,
                           std::function<int()>* action) {
  CLI::App* dead = app.add_subcommand("deadletter", "inspect, retry and drop dead letters");
  dead->require_subcommand(1);
  auto args = std::make_shared<DeadLetterArgs>();

  CLI::App* ls = dead->add_subcommand("ls", "list dead letters");
  ls->add_option("--handler", args->handler, "only this handler's dead letters");
  ls->add_flag("--json", args->json, "print the server's JSON");
  ls->callback(
      [&options, action, args] { *action = [&options, args] { return List(options, *args); }; });

  CLI::App* retry = dead->add_subcommand("retry", "deliver a dead letter again, once");
  retry->add_option("handler", args->handler, "handler name (e.g. webhook:ID)")->required();
  retry->add_option("seq", args->seq, "event sequence")->required();
  retry->callback(
      [&options, action, args] { *action = [&options, args] { return Retry(options, *args); }; });

  CLI::App* drop = dead->add_subcommand("drop", "delete a dead letter");
  drop->add_option("handler", args->handler, "handler name (e.g. webhook:ID)")->required();
  drop->add_option("seq", args->seq, "event sequence")->required();
  drop->callback(
      [&options, action, args] { *action = [&options, args] { return Drop(options, *args); }; });
}

}  // namespace kumo::cli
