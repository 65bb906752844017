#include "policy/policy_document.h"

#include <nlohmann/json.hpp>
#include <set>

#include "policy/glob.h"
#include "policy/variables.h"

namespace kumo::policy {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kS3ArnPrefix = "arn:aws:s3:::";

Status Malformed(std::string msg) { return {ErrorCode::kMalformedPolicy, std::move(msg)}; }

// "Statement 2" or "Statement 2 (Sid ReadAll)", for messages.
std::string Where(size_t index, const std::string& sid) {
  std::string out = std::string("Statement ").append(std::to_string(index + 1));
  if (!sid.empty()) out.append(" (Sid ").append(sid).append(")");
  return out;
}

// A string or a non-empty array of strings.
Status StringList(const Json& j, const std::string& what, std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get_ref<const std::string&>());
    return Status::OK();
  }
  if (!j.is_array() || j.empty()) {
    return Malformed(std::string(what).append(" must be a string or a non-empty array of strings"));
  }
  for (const auto& item : j) {
    if (!item.is_string()) return Malformed(std::string(what).append(" must hold strings only"));
    out->push_back(item.get_ref<const std::string&>());
  }
  return Status::OK();
}

// A condition value: JSON strings, numbers and booleans, as text.
Status ScalarText(const Json& j, std::string* out) {
  if (j.is_string()) {
    *out = j.get_ref<const std::string&>();
  } else if (j.is_boolean()) {
    *out = j.get<bool>() ? "true" : "false";
  } else if (j.is_number()) {
    *out = j.dump();
  } else {
    return Malformed("Condition values must be strings, numbers or booleans");
  }
  return Status::OK();
}

Status ParsePrincipal(const Json& j, const std::string& what, PrincipalSet* out) {
  if (j.is_string()) {
    if (j.get_ref<const std::string&>() != "*") {
      return Malformed(what + ": Invalid principal in policy: a string principal must be \"*\"");
    }
    out->any = true;
    return Status::OK();
  }
  if (!j.is_object() || j.empty()) {
    return Malformed(what + ": Invalid principal in policy: expected \"*\" or {\"AWS\": ...}");
  }
  for (const auto& [type, value] : j.items()) {
    if (type != "AWS") {
      return Malformed(what + ": Invalid principal in policy: unsupported principal type " + type);
    }
    std::vector<std::string> ids;
    KUMO_RETURN_IF_ERROR(StringList(value, what + ": Principal AWS", &ids));
    for (auto& id : ids) {
      if (id == "*") {
        out->any = true;
      } else if (id.empty() || (id.starts_with("arn:") && !id.starts_with("arn:aws:iam::"))) {
        return Malformed(what + ": Invalid principal in policy: " + id);
      } else if (id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos) {
        out->ids.push_back(std::string("arn:aws:iam::").append(id).append(":root"));
      } else {
        out->ids.push_back(std::move(id));
      }
    }
  }
  return Status::OK();
}

Status CheckResource(const std::string& r, const std::string& what, std::string_view bucket) {
  auto invalid = [&](std::string_view why) {
    return Malformed(what + ": Policy has invalid resource " + r + ": " + std::string(why));
  };
  if (r == "*") {
    if (!bucket.empty()) return invalid(std::string("not within bucket ").append(bucket));
    return Status::OK();
  }
  if (!r.starts_with(kS3ArnPrefix)) {
    return invalid("expected arn:aws:s3:::bucket, arn:aws:s3:::bucket/key or *");
  }
  std::string_view rest = std::string_view(r).substr(kS3ArnPrefix.size());
  if (rest.empty() || rest.front() == '/') return invalid("no bucket name");
  if (!bucket.empty() && rest != bucket &&
      !(rest.starts_with(bucket) && rest.size() > bucket.size() && rest[bucket.size()] == '/')) {
    return invalid(std::string("not within bucket ").append(bucket));
  }
  return Status::OK();
}

// The resource kinds (ResourceKind bits) a Resource value can name.
unsigned KindsOf(const std::string& r) {
  constexpr unsigned kAll = 7;
  if (r == "*") return kAll;
  std::string_view rest = std::string_view(r).substr(kS3ArnPrefix.size());
  if (rest.find('/') != std::string_view::npos) return unsigned(ResourceKind::kObject);
  if (HasWildcard(rest)) return unsigned(ResourceKind::kObject) | unsigned(ResourceKind::kBucket);
  return unsigned(ResourceKind::kBucket);
}

// Whether some action of the set applies to a resource of one of the kinds.
bool AppliesToAny(ActionSet actions, unsigned kinds) {
  for (size_t i = 0; i < kActionCount; ++i) {
    if ((actions >> i & 1) != 0 && (unsigned(kActionResources[i]) & kinds) != 0) return true;
  }
  return false;
}

Status ParseConditions(const Json& j, const std::string& what, std::vector<Condition>* out) {
  if (!j.is_object()) return Malformed(what + ": Condition must be an object");
  for (const auto& [op, keys] : j.items()) {
    if (!keys.is_object() || keys.empty()) {
      return Malformed(what + ": Condition " + op + " must be a non-empty object of keys");
    }
    for (const auto& [key, value] : keys.items()) {
      std::vector<std::string> values;
      if (value.is_array()) {
        for (const auto& v : value) {
          std::string text;
          KUMO_RETURN_IF_ERROR(ScalarText(v, &text));
          values.push_back(std::move(text));
        }
      } else {
        std::string text;
        KUMO_RETURN_IF_ERROR(ScalarText(value, &text));
        values.push_back(std::move(text));
      }
      Result<Condition> c = MakeCondition(op, key, std::move(values));
      if (!c.ok()) return Malformed(what + ": " + c.status().message());
      out->push_back(std::move(c).value());
    }
  }
  return Status::OK();
}

// Sets *element to the one of two mutually exclusive fields present, or nullptr.
Status OneOf(const Json& s, const char* a, const char* b, const std::string& what,
             const Json** element, bool* is_b) {
  auto ia = s.find(a);
  auto ib = s.find(b);
  if (ia != s.end() && ib != s.end()) {
    return Malformed(what + ": " + a + " and " + b + " cannot both be present");
  }
  *is_b = ib != s.end();
  *element = ia != s.end() ? &*ia : ib != s.end() ? &*ib : nullptr;
  return Status::OK();
}

Status ParseStatement(const Json& s, size_t index, const ParseOptions& options, Statement* out) {
  if (!s.is_object()) return Malformed(Where(index, "") + ": a statement must be an object");
  if (auto sid = s.find("Sid"); sid != s.end()) {
    if (!sid->is_string()) return Malformed(Where(index, "") + ": Sid must be a string");
    out->sid = sid->get_ref<const std::string&>();
  }
  const std::string what = Where(index, out->sid);
  static const std::set<std::string, std::less<>> kFields = {
      "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition"};
  for (const auto& [name, value] : s.items()) {
    if (!kFields.contains(name)) return Malformed(what + ": Unknown field " + name);
  }

  auto effect = s.find("Effect");
  if (effect == s.end()) return Malformed(what + ": Missing required field Effect");
  if (!effect->is_string() || (*effect != "Allow" && *effect != "Deny")) {
    return Malformed(what + ": Invalid effect: " + effect->dump() + " (Allow or Deny)");
  }
  out->effect = *effect == "Allow" ? Effect::kAllow : Effect::kDeny;

  const Json* element = nullptr;
  KUMO_RETURN_IF_ERROR(OneOf(s, "Principal", "NotPrincipal", what, &element, &out->not_principal));
  if (options.is_identity_policy && element != nullptr) {
    return Malformed(what + ": an identity policy has no Principal or NotPrincipal");
  }
  if (!options.is_identity_policy) {
    if (element == nullptr) return Malformed(what + ": Missing required field Principal");
    out->has_principal = true;
    KUMO_RETURN_IF_ERROR(ParsePrincipal(*element, what, &out->principals));
  }

  KUMO_RETURN_IF_ERROR(OneOf(s, "Action", "NotAction", what, &element, &out->not_action));
  if (element == nullptr) return Malformed(what + ": Missing required field Action");
  std::vector<std::string> actions;
  KUMO_RETURN_IF_ERROR(StringList(*element, what + ": Action", &actions));
  std::vector<ActionSet> sets;
  for (const auto& a : actions) {
    std::optional<ActionSet> set = CompileActionPattern(a);
    if (!set) return Malformed(what + ": Policy has invalid action: " + a);
    sets.push_back(*set);
    out->actions |= *set;
  }

  KUMO_RETURN_IF_ERROR(OneOf(s, "Resource", "NotResource", what, &element, &out->not_resource));
  if (element == nullptr) return Malformed(what + ": Missing required field Resource");
  KUMO_RETURN_IF_ERROR(StringList(*element, what + ": Resource", &out->resources));
  unsigned kinds = 0;
  for (const auto& r : out->resources) {
    KUMO_RETURN_IF_ERROR(CheckResource(r, what, options.bucket));
    kinds |= KindsOf(r);
  }
  // As S3: each Action value must apply to some Resource ("s3:GetObject" on a bucket ARN
  // is a mistake). NotAction and NotResource name what is excluded, so are not checked.
  if (!out->not_action && !out->not_resource) {
    for (size_t i = 0; i < sets.size(); ++i) {
      if (!AppliesToAny(sets[i], kinds)) {
        return Malformed(what +
                         ": Action does not apply to any resource(s) in statement: " + actions[i]);
      }
    }
  }

  if (auto c = s.find("Condition"); c != s.end()) {
    KUMO_RETURN_IF_ERROR(ParseConditions(*c, what, &out->conditions));
  }
  return Status::OK();
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view json, const ParseOptions& options) {
  if (json.size() > kMaxPolicyBytes) {
    return Malformed(std::string("Policy is larger than ")
                         .append(std::to_string(kMaxPolicyBytes))
                         .append(" bytes"));
  }
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Malformed("Policies must be valid JSON");
  if (!doc.is_object()) return Malformed("A policy must be a JSON object");
  Policy policy;
  policy.is_identity_policy = options.is_identity_policy;
  policy.version = "2008-10-17";
  for (const auto& [name, value] : doc.items()) {
    if (name != "Version" && name != "Id" && name != "Statement") {
      return Malformed(std::string("Unknown field ").append(name));
    }
  }
  if (auto v = doc.find("Version"); v != doc.end()) {
    if (!v->is_string() || (*v != "2012-10-17" && *v != "2008-10-17")) {
      return Malformed(
          std::string("Invalid Version ").append(v->dump()).append(": 2012-10-17 or 2008-10-17"));
    }
    policy.version = v->get_ref<const std::string&>();
  }
  if (auto id = doc.find("Id"); id != doc.end()) {
    if (!id->is_string()) return Malformed("Id must be a string");
    policy.id = id->get_ref<const std::string&>();
  }
  auto statements = doc.find("Statement");
  if (statements == doc.end()) return Malformed("Missing required field Statement");
  if (statements->is_object()) {
    policy.statements.emplace_back();
    KUMO_RETURN_IF_ERROR(ParseStatement(*statements, 0, options, &policy.statements.back()));
  } else if (statements->is_array()) {
    if (statements->empty()) return Malformed("Statement must not be empty");
    std::set<std::string, std::less<>> sids;
    for (size_t i = 0; i < statements->size(); ++i) {
      Statement st;
      KUMO_RETURN_IF_ERROR(ParseStatement((*statements)[i], i, options, &st));
      if (!st.sid.empty() && !sids.insert(st.sid).second) {
        return Malformed(Where(i, st.sid) + ": Statement IDs (SID) must be unique");
      }
      policy.statements.push_back(std::move(st));
    }
  } else {
    return Malformed("Statement must be an object or an array of objects");
  }
  if (policy.version == "2012-10-17") {
    for (Statement& st : policy.statements) {
      for (Condition& c : st.conditions) {
        for (const auto& v : c.strings) c.variables = c.variables || HasVariable(v);
      }
    }
  }
  return policy;
}

}  // namespace kumo::policy
