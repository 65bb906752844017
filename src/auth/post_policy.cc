// The POST policy document: parsing (nlohmann::json, without exceptions) and the checks
// of a form against it.
#include "auth/post_policy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/sigv4_internal.h"
#include "common/hash.h"

namespace kumo::auth {
namespace {

using Json = nlohmann::json;

Status Invalid(std::string_view why) {
  return {ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::string(why)};
}

Status Denied(std::string_view why) {
  return {ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::string(why)};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "2015-12-30T12:00:00.000Z" or without the fraction.
bool ParseIso8601(std::string_view t, int64_t* out) {
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t.back() != 'Z') {
    return false;
  }
  std::string_view frac = t.substr(19, t.size() - 20);
  if (!frac.empty() && (frac[0] != '.' || frac.size() < 2 ||
                        frac.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
    return false;
  }
  std::string basic;
  for (std::string_view piece :
       {t.substr(0, 4), t.substr(5, 2), t.substr(8, 2), std::string_view("T"), t.substr(11, 2),
        t.substr(14, 2), t.substr(17, 2), std::string_view("Z")}) {
    basic.append(piece);
  }
  return internal::ParseAmzDate(basic, out);
}

// A condition operand: a string, or a number written as one.
bool Operand(const Json& j, std::string* out) {
  if (j.is_string()) {
    *out = j.get<std::string>();
    return true;
  }
  if (j.is_number_integer()) {
    *out = j.dump();
    return true;
  }
  return false;
}

bool Length(const Json& j, int64_t* out) {
  if (j.is_number_integer()) {
    *out = j.get<int64_t>();
    return true;
  }
  std::string s;
  if (!j.is_string() || (s = j.get<std::string>()).empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::stoll(s);
  return true;
}

std::string Quote(std::string_view s) { return Json(std::string(s)).dump(); }

PostCondition Match(PostCondition::Kind kind, std::string_view field, std::string value) {
  PostCondition c;
  c.kind = kind;
  c.field = Lower(field);
  std::string dollar = "$";
  dollar.append(field);
  c.text = kind == PostCondition::Kind::kEq ? "[\"eq\", " : "[\"starts-with\", ";
  c.text.append(Quote(dollar)).append(", ").append(Quote(value)).append("]");
  c.value = std::move(value);
  return c;
}

Status ParseArrayCondition(const Json& a, PostPolicy* policy) {
  std::string op;
  if (a.size() != 3 || !a[0].is_string()) return Invalid("Invalid Condition: " + a.dump());
  op = Lower(a[0].get<std::string>());
  if (op == "content-length-range") {
    PostCondition c;
    c.kind = PostCondition::Kind::kContentLengthRange;
    if (!Length(a[1], &c.min) || !Length(a[2], &c.max) || c.min < 0 || c.max < c.min) {
      return Invalid("Invalid content-length-range: " + a.dump());
    }
    c.text = a.dump();
    policy->min_length = policy->has_length_range ? std::max(policy->min_length, c.min) : c.min;
    policy->max_length = policy->has_length_range ? std::min(policy->max_length, c.max) : c.max;
    policy->has_length_range = true;
    policy->conditions.push_back(std::move(c));
    return Status::OK();
  }
  std::string field, value;
  if ((op != "eq" && op != "starts-with") || !a[1].is_string() || !Operand(a[2], &value)) {
    return Invalid("Invalid Condition: " + a.dump());
  }
  field = a[1].get<std::string>();
  if (field.size() < 2 || field[0] != '$') return Invalid("Invalid Condition: " + a.dump());
  policy->conditions.push_back(
      Match(op == "eq" ? PostCondition::Kind::kEq : PostCondition::Kind::kStartsWith,
            std::string_view(field).substr(1), std::move(value)));
  return Status::OK();
}

const std::string* Find(const StringPairs& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return &v;
  }
  return nullptr;
}

bool Satisfied(const PostCondition& c, std::string_view value) {
  if (c.kind == PostCondition::Kind::kEq) return value == c.value;
  if (c.field != "content-type") return value.substr(0, c.value.size()) == c.value;
  // Content-Type may list several comma-separated types: each must match.
  size_t start = 0;
  for (;;) {
    size_t comma = value.find(',', start);
    std::string_view item = value.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.substr(0, c.value.size()) != c.value) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

Result<PostPolicy> ParsePostPolicy(std::string_view policy_base64) {
  std::string compact, doc;
  for (char c : policy_base64) {
    if (c != '\r' && c != '\n' && c != ' ') compact.push_back(c);
  }
  if (!Base64Decode(compact, &doc)) return Invalid("Policy is not valid base64.");
  Json j = Json::parse(doc, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("Invalid JSON.");
  PostPolicy policy;
  auto exp = j.find("expiration");
  if (exp == j.end()) return Invalid("Policy missing expiration.");
  if (!exp->is_string() || !ParseIso8601(exp->get<std::string>(), &policy.expiration_unix)) {
    return Invalid("Invalid 'expiration' value: " + exp->dump());
  }
  auto conds = j.find("conditions");
  if (conds == j.end()) return Invalid("Policy missing conditions.");
  if (!conds->is_array()) return Invalid("Invalid 'conditions' value.");
  for (const Json& c : *conds) {
    if (c.is_array()) {
      KUMO_RETURN_IF_ERROR(ParseArrayCondition(c, &policy));
      continue;
    }
    if (!c.is_object() || c.empty()) return Invalid("Invalid Condition: " + c.dump());
    for (const auto& [field, v] : c.items()) {
      std::string value;
      if (!Operand(v, &value)) return Invalid("Invalid Simple-Condition: " + c.dump());
      policy.conditions.push_back(Match(PostCondition::Kind::kEq, field, std::move(value)));
    }
  }
  return policy;
}

Status CheckPostPolicy(const PostPolicy& policy, const StringPairs& fields, std::string_view bucket,
                       int64_t now_unix) {
  if (now_unix > policy.expiration_unix) return Denied("Policy expired.");
  for (const PostCondition& c : policy.conditions) {
    if (c.kind == PostCondition::Kind::kContentLengthRange) continue;
    const std::string* v = Find(fields, c.field);
    std::string_view value = c.field == "bucket" ? bucket : v ? std::string_view(*v) : "";
    if (!Satisfied(c, value)) return Denied("Policy Condition failed: " + c.text);
  }
  std::string extra;
  for (const auto& [name, value] : fields) {
    if (name == "x-amz-signature" || name == "file" || name == "policy" ||
        name.rfind("x-ignore-", 0) == 0) {
      continue;
    }
    bool covered = false;
    for (const PostCondition& c : policy.conditions) covered = covered || c.field == name;
    if (!covered) extra += (extra.empty() ? "" : ", ") + name;
  }
  if (!extra.empty()) return Denied("Extra input fields: " + extra);
  return Status::OK();
}

Status CheckPostContentLength(const PostPolicy& policy, uint64_t size, bool final) {
  if (!policy.has_length_range) return Status::OK();
  if (size > static_cast<uint64_t>(policy.max_length)) {
    return {ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size"};
  }
  if (final && size < static_cast<uint64_t>(policy.min_length)) {
    return {ErrorCode::kEntityTooSmall,
            "Your proposed upload is smaller than the minimum allowed size"};
  }
  return Status::OK();
}

}  // namespace kumo::auth
