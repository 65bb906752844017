#include "cli/user_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/admin_request.h"
#include "common/http_request.h"
#include "policy/canned.h"

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

// The policy a --policy argument names: a canned policy (readwrite, readonly, writeonly)
// or a JSON file. The server validates it; here it only has to be JSON.
std::optional<nlohmann::json> PolicyArgument(const std::string& arg) {
  std::string text(policy::CannedUserPolicyJson(arg));
  if (text.empty()) {
    std::ifstream in(arg);
    if (!in) {
      std::cerr << "kumo: " << arg
                << " is neither a canned policy (readwrite, readonly, writeonly) nor a "
                   "readable file\n";
      return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    std::cerr << "kumo: " << arg << " is not a JSON policy document\n";
    return std::nullopt;
  }
  return j;
}

int AddUser(const GlobalOptions& options, const std::string& name, const std::string& policy) {
  std::string body;
  if (!policy.empty()) {
    auto doc = PolicyArgument(policy);
    if (!doc) return 1;
    body = nlohmann::json{{"policy", *doc}}.dump();
  }
  auto reply = AdminRequest(options, "PUT", UserPath(name), body);
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
    auto p = u.find("policy");
    bool has_policy = p != u.end() && p->is_boolean() && p->get<bool>();
    std::cout << key << std::string(width - key.size() + 2, ' ') << StringOr(u, "created")
              << (has_policy ? "  policy" : "  no policy") << "\n";
  }
  return 0;
}

int GetPolicy(const GlobalOptions& options, const std::string& name) {
  auto reply = AdminRequest(options, "GET", UserPath(name) + "/policy");
  if (!reply) return 1;
  auto it = reply->is_object() ? reply->find("policy") : reply->end();
  if (it == reply->end()) {
    std::cerr << "kumo: the server's reply has no policy: " << reply->dump() << "\n";
    return 1;
  }
  if (it->is_null()) {
    std::cerr << name << " has no policy: it may use only the buckets it owns\n";
    return 0;
  }
  std::cout << it->dump(2) << "\n";
  return 0;
}

int SetPolicy(const GlobalOptions& options, const std::string& name, const std::string& policy) {
  auto doc = PolicyArgument(policy);
  if (!doc) return 1;
  if (!AdminRequest(options, "PUT", UserPath(name) + "/policy", doc->dump())) return 1;
  std::cout << "policy of " << name << " set\n";
  return 0;
}

int RemovePolicy(const GlobalOptions& options, const std::string& name) {
  if (!AdminRequest(options, "DELETE", UserPath(name) + "/policy")) return 1;
  std::cout << "policy of " << name << " removed\n";
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
  auto policy = std::make_shared<std::string>();

  CLI::App* add = user->add_subcommand("add", "create an access key and print its secret");
  add->add_option("name", *name, "access key to create")->required();
  add->add_option("--policy", *policy,
                  "identity policy: readwrite, readonly, writeonly or a JSON file (default: "
                  "none, the user may use only the buckets it owns)");
  add->callback([&options, action, name, policy] {
    *action = [&options, name, policy] { return AddUser(options, *name, *policy); };
  });

  CLI::App* list = user->add_subcommand("list", "list access keys with their creation time");
  list->callback([&options, action] { *action = [&options] { return ListUsers(options); }; });

  CLI::App* pol = user->add_subcommand("policy", "show or change a user's identity policy");
  pol->require_subcommand(1);
  CLI::App* get = pol->add_subcommand("get", "print the user's policy");
  get->add_option("name", *name, "user")->required();
  get->callback([&options, action, name] {
    *action = [&options, name] { return GetPolicy(options, *name); };
  });
  CLI::App* set = pol->add_subcommand("set", "replace the user's policy");
  set->add_option("name", *name, "user")->required();
  set->add_option("policy", *policy, "readwrite, readonly, writeonly or a JSON file")->required();
  set->callback([&options, action, name, policy] {
    *action = [&options, name, policy] { return SetPolicy(options, *name, *policy); };
  });
  CLI::App* unset = pol->add_subcommand("remove", "remove the user's policy");
  unset->add_option("name", *name, "user")->required();
  unset->callback([&options, action, name] {
    *action = [&options, name] { return RemovePolicy(options, *name); };
  });

  CLI::App* remove = user->add_subcommand("remove", "delete an access key");
  remove->add_option("name", *name, "access key to delete")->required();
  remove->callback([&options, action, name] {
    *action = [&options, name] { return RemoveUser(options, *name); };
  });
}

}  // namespace kumo::cli
