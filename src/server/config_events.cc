#include "server/config_events.h"

#include <filesystem>
#include <sstream>

namespace kumo::server {

std::string ConfigDirectory(const std::string& config_path) {
  std::filesystem::path p = std::filesystem::absolute(config_path).parent_path();
  return p.string();
}

Status ReadFunctions(const toml::table& t, const std::string& config_dir,
                     std::vector<events::FunctionConfig>* out) {
  const toml::node_view<const toml::node> functions = t["functions"];
  if (!functions) return Status::OK();
  if (!functions.is_table()) return Status::InvalidArgument("functions must be a table");
  for (const auto& [name, node] : *functions.as_table()) {
    const std::string where = "functions." + std::string(name.str());
    const toml::table* table = node.as_table();
    if (table == nullptr) return Status::InvalidArgument(where + " must be a table");
    events::FunctionConfig f;
    f.name = std::string(name.str());
    for (const auto& [key, value] : *table) {
      const std::string k(key.str());
      if (k == "plugin" && value.is_string()) {
        std::filesystem::path path(*value.value<std::string>());
        if (path.is_relative() && !config_dir.empty()) path = config_dir / path;
        f.plugin = path.lexically_normal().string();
      } else if (k == "concurrency" && value.is_integer()) {
        f.concurrency = static_cast<int>(*value.value<int64_t>());
      } else if (k == "timeout_seconds" && value.is_integer()) {
        f.timeout_seconds = static_cast<int>(*value.value<int64_t>());
      } else if (k == "run_as" && value.is_string()) {
        f.run_as = *value.value<std::string>();
        if (f.run_as.empty()) {
          return Status::InvalidArgument(where + ".run_as must name an access key");
        }
      } else if (k == "config" && value.is_table()) {
        std::ostringstream json;
        json << toml::json_formatter{*value.as_table()};
        f.config_json = json.str();
      } else {
        return Status::InvalidArgument(where + "." + k + " is unknown or has the wrong type");
      }
    }
    // A built-in function's table only tunes it: kumod knows where its library is.
    if (f.plugin.empty() && !events::IsBuiltInFunction(f.name)) {
      return Status::InvalidArgument(where + ".plugin is required (or name a built-in function: " +
                                     events::BuiltInFunctionList() + ")");
    }
    out->push_back(std::move(f));
  }
  return Status::OK();
}

namespace {

Result<events::StaticBinding> ReadBinding(const toml::table& b, const std::string& where) {
  events::StaticBinding binding;
  events::NotificationRule& rule = binding.rule;
  rule.kind = events::NotificationRule::Kind::kQueue;
  for (const auto& [key, value] : b) {
    const std::string k(key.str());
    std::string* field = k == "bucket"   ? &binding.bucket
                         : k == "id"     ? &rule.id
                         : k == "arn"    ? &rule.arn
                         : k == "prefix" ? &rule.prefix
                         : k == "suffix" ? &rule.suffix
                                         : nullptr;
    if (field != nullptr && value.is_string()) {
      *field = *value.value<std::string>();
    } else if (k == "function" && value.is_string()) {
      rule.arn = "arn:kumo:lambda:::function:" + *value.value<std::string>();
      rule.kind = events::NotificationRule::Kind::kLambda;
    } else if (k == "events" && value.is_array()) {
      for (const auto& e : *value.as_array()) {
        auto name = e.value<std::string>();
        if (!name || !events::IsKnownEventName(*name)) {
          return Status::InvalidArgument(where + ".events: unknown event type " +
                                         (name ? *name : "(not a string)"));
        }
        rule.events.push_back(*name);
      }
    } else {
      return Status::InvalidArgument(where + "." + k + " is unknown or has the wrong type");
    }
  }
  if (binding.bucket.empty()) return Status::InvalidArgument(where + ".bucket is required");
  if (rule.arn.empty()) return Status::InvalidArgument(where + " needs a function or an arn");
  if (rule.events.empty()) return Status::InvalidArgument(where + ".events is required");
  if (rule.arn.rfind("arn:kumo:lambda:", 0) == 0) {
    rule.kind = events::NotificationRule::Kind::kLambda;
  }
  if (rule.id.empty()) rule.id = "config-" + where.substr(where.find('[') + 1);
  if (!rule.id.empty() && rule.id.back() == ']') rule.id.pop_back();
  return binding;
}

}  // namespace

Status ReadBindings(const toml::table& t, std::vector<events::StaticBinding>* out) {
  const toml::node_view<const toml::node> bindings = t["bindings"];
  if (!bindings) return Status::OK();
  const toml::array* array = bindings.as_array();
  if (array == nullptr) return Status::InvalidArgument("bindings must be an array of tables");
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string where = "bindings[" + std::to_string(i) + "]";
    const toml::table* b = (*array)[i].as_table();
    if (b == nullptr) return Status::InvalidArgument(where + " must be a table");
    KUMO_ASSIGN_OR_RETURN(auto binding, ReadBinding(*b, where));
    out->push_back(std::move(binding));
  }
  return Status::OK();
}

}  // namespace kumo::server
