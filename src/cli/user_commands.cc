#include "cli/user_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "cli/admin_request.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

constexpr std::string_view kUsersPath = "/_kumo/admin/users";

std::string UserPath(const std::string& name) {
  return std::string(kUsersPath) + "/" + UrlEncode(name);
}

std::string StringOr(const nlohmann::json& j, const char* name, std::string fallback = "?") {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int AddUser(const GlobalOptions& options, const std::string& name) {
  auto reply = AdminRequest(options, "PUT", UserPath(name));
  if (!reply) return 1;
  std::string secret = reply->is_object() ? StringOr(*reply, "secret_key", "") : "";
  if (secret.empty()) {
    std::cerr << "kumo: the server's reply has no secret_key: " << reply->dump() << "\n";
    return 1;
  }
  std::cout << "access_key: " << StringOr(*reply, "access_key", name) << "\n"
            << "secret_key: " << secret << "\n";
  std::cerr << "Store the secret key now: it cannot be shown again.\n";
  return 0;
}

int ListUsers(const GlobalOptions& options) {
  auto reply = AdminRequest(options, "GET", kUsersPath);
  if (!reply) return 1;
  const nlohmann::json* users = nullptr;
  if (reply->is_object()) {
    auto it = reply->find("users");
    if (it != reply->end() && it->is_array()) users = &*it;
  }
  if (users == nullptr) {
    std::cerr << "kumo: the server's reply has no user list: " << reply->dump() << "\n";
    return 1;
  }
  size_t width = 0;
  for (const auto& u : *users) width = std::max(width, StringOr(u, "access_key").size());
  for (const auto& u : *users) {
    std::string key = StringOr(u, "access_key");
    std::cout << key << std::string(width - key.size() + 2, ' ') << StringOr(u, "created") << "\n";
  }
  return 0;
}

int RemoveUser(const GlobalOptions& options, const std::string& name) {
  if (!AdminRequest(options, "DELETE", UserPath(name))) return 1;
  std::cout << "removed " << name << "\n";
  return 0;
}

}  // namespace

void AddUserCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action) {
  CLI::App* user = app.add_subcommand("user", "manage access keys");
  user->require_subcommand(1);
  // Owned by the callbacks, which outlive parsing together with app.
  auto name = std::make_shared<std::string>();

  CLI::App* add = user->add_subcommand("add", "create an access key and print its secret");
  add->add_option("name", *name, "access key to create")->required();
  add->callback(
      [&options, action, name] { *action = [&options, name] { return AddUser(options, *name); }; });

  CLI::App* list = user->add_subcommand("list", "list access keys with their creation time");
  list->callback([&options, action] { *action = [&options] { return ListUsers(options); }; });

  CLI::App* remove = user->add_subcommand("remove", "delete an access key");
  remove->add_option("name", *name, "access key to delete")->required();
  remove->callback([&options, action, name] {
    *action = [&options, name] { return RemoveUser(options, *name); };
  });
}

}  // namespace kumo::cli
