#include "policy/conditions.h"

#include "policy/glob.h"
#include "policy/variables.h"

namespace kumo::policy {

namespace {

struct OperatorName {
  std::string_view name;
  ConditionOp op;
  bool negated;
};

constexpr OperatorName kOperators[] = {
    {"StringEquals", ConditionOp::kStringEquals, false},
    {"StringNotEquals", ConditionOp::kStringEquals, true},
    {"StringEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase, true},
    {"StringLike", ConditionOp::kStringLike, false},
    {"StringNotLike", ConditionOp::kStringLike, true},
    {"NumericEquals", ConditionOp::kNumericEquals, false},
    {"NumericNotEquals", ConditionOp::kNumericEquals, true},
    {"NumericLessThan", ConditionOp::kNumericLessThan, false},
    {"NumericLessThanEquals", ConditionOp::kNumericLessThanEquals, false},
    {"NumericGreaterThan", ConditionOp::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionOp::kNumericGreaterThanEquals, false},
    {"DateEquals", ConditionOp::kDateEquals, false},
    {"DateNotEquals", ConditionOp::kDateEquals, true},
    {"DateLessThan", ConditionOp::kDateLessThan, false},
    {"DateLessThanEquals", ConditionOp::kDateLessThanEquals, false},
    {"DateGreaterThan", ConditionOp::kDateGreaterThan, false},
    {"DateGreaterThanEquals", ConditionOp::kDateGreaterThanEquals, false},
    {"Bool", ConditionOp::kBool, false},
    {"IpAddress", ConditionOp::kIpAddress, false},
    {"NotIpAddress", ConditionOp::kIpAddress, true},
    {"ArnEquals", ConditionOp::kArnLike, false},
    {"ArnLike", ConditionOp::kArnLike, false},
    {"ArnNotEquals", ConditionOp::kArnLike, true},
    {"ArnNotLike", ConditionOp::kArnLike, true},
    {"Null", ConditionOp::kNull, false},
};

Status Malformed(std::string msg) { return {ErrorCode::kMalformedPolicy, std::move(msg)}; }

template <class T>
bool Compare(ConditionOp op, T request, T policy) {
  switch (op) {
    case ConditionOp::kNumericEquals:
    case ConditionOp::kDateEquals:
      return request == policy;
    case ConditionOp::kNumericLessThan:
    case ConditionOp::kDateLessThan:
      return request < policy;
    case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kDateLessThanEquals:
      return request <= policy;
    case ConditionOp::kNumericGreaterThan:
    case ConditionOp::kDateGreaterThan:
      return request > policy;
    case ConditionOp::kNumericGreaterThanEquals:
    case ConditionOp::kDateGreaterThanEquals:
      return request >= policy;
    default:
      return false;
  }
}

// One String* / Arn* policy value against one request value; a value with a policy
// variable is expanded from the context first.
bool StringMatches(const Condition& c, std::string_view pattern, std::string_view value,
                   const RequestContext& context) {
  ExpandedPattern expanded;
  if (c.variables && HasVariable(pattern)) {
    if (!ExpandVariables(pattern, context, &expanded)) return false;
    if (c.op == ConditionOp::kStringLike || c.op == ConditionOp::kArnLike) {
      return ExpandedGlobMatch(expanded, value);
    }
    pattern = expanded.text;
  }
  switch (c.op) {
    case ConditionOp::kStringEquals:
      return pattern == value;
    case ConditionOp::kStringEqualsIgnoreCase:
      return EqualsIgnoreCase(pattern, value);
    default:
      return GlobMatch(pattern, value);
  }
}

// Whether one request value matches any policy value under the base (un-negated) op.
bool MatchesAny(const Condition& c, std::string_view value, const RequestContext& context) {
  if (c.variables) {
    for (const auto& p : c.strings) {
      if (StringMatches(c, p, value, context)) return true;
    }
    return false;
  }
  switch (c.op) {
    case ConditionOp::kStringEquals:
      for (const auto& p : c.strings) {
        if (p == value) return true;
      }
      return false;
    case ConditionOp::kStringEqualsIgnoreCase:
    case ConditionOp::kBool:
      for (const auto& p : c.strings) {
        if (EqualsIgnoreCase(p, value)) return true;
      }
      return false;
    case ConditionOp::kStringLike:
    case ConditionOp::kArnLike:
      for (const auto& p : c.strings) {
        if (GlobMatch(p, value)) return true;
      }
      return false;
    case ConditionOp::kNumericEquals:
    case ConditionOp::kNumericLessThan:
    case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kNumericGreaterThan:
    case ConditionOp::kNumericGreaterThanEquals: {
      std::optional<double> v = ParseNumber(value);
      if (!v) return false;
      for (double p : c.numbers) {
        if (Compare(c.op, *v, p)) return true;
      }
      return false;
    }
    case ConditionOp::kDateEquals:
    case ConditionOp::kDateLessThan:
    case ConditionOp::kDateLessThanEquals:
    case ConditionOp::kDateGreaterThan:
    case ConditionOp::kDateGreaterThanEquals: {
      std::optional<int64_t> v = ParseDateMillis(value);
      if (!v) return false;
      for (int64_t p : c.dates) {
        if (Compare(c.op, *v, p)) return true;
      }
      return false;
    }
    case ConditionOp::kIpAddress:
      for (const auto& net : c.nets) {
        if (IpInNet(value, net)) return true;
      }
      return false;
    case ConditionOp::kNull:
      return false;  // evaluated on presence, see ConditionHolds
  }
  return false;
}

}  // namespace

namespace {
bool EqualsLower(std::string_view any_case, std::string_view lower) {
  if (any_case.size() != lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (AsciiLower(any_case[i]) != lower[i]) return false;
  }
  return true;
}

bool Reads(const ContextKeys* keys, std::string_view key) {
  if (keys == nullptr || !keys->needed) return false;
  if (keys->all) return true;
  for (const auto& k : keys->keys) {
    if (EqualsLower(key, k)) return true;
  }
  return false;
}
}  // namespace

bool RequestContext::Wants(std::string_view key) const {
  return !restricted_ || Reads(only_a_, key) || Reads(only_b_, key);
}

void RequestContext::Set(std::string_view key, std::string value) {
  if (!Wants(key)) return;
  auto& values = values_[ToLower(key)];
  values.clear();
  values.push_back(std::move(value));
}

void RequestContext::Add(std::string_view key, std::string value) {
  if (!Wants(key)) return;
  values_[ToLower(key)].push_back(std::move(value));
}

const std::vector<std::string>* RequestContext::Find(std::string_view lower_key) const {
  auto it = values_.find(lower_key);
  return it == values_.end() ? nullptr : &it->second;
}

Result<Condition> MakeCondition(std::string_view op_name, std::string_view key,
                                std::vector<std::string> values) {
  Condition c;
  std::string_view name = op_name;
  if (name.starts_with("ForAnyValue:")) {
    c.qualifier = SetQualifier::kForAnyValue;
    name.remove_prefix(12);
  } else if (name.starts_with("ForAllValues:")) {
    c.qualifier = SetQualifier::kForAllValues;
    name.remove_prefix(13);
  }
  if (name.ends_with("IfExists")) {
    c.if_exists = true;
    name.remove_suffix(8);
  }
  const OperatorName* found = nullptr;
  for (const auto& o : kOperators) {
    if (o.name == name) found = &o;
  }
  if (found == nullptr || (found->op == ConditionOp::kNull && c.if_exists)) {
    return Malformed(std::string("Invalid Condition operator: ").append(op_name));
  }
  c.op = found->op;
  c.negated = found->negated;
  if (key.empty()) return Malformed(std::string("Empty condition key under ").append(op_name));
  c.key = ToLower(key);
  if (values.empty()) {
    return Malformed(
        std::string("Condition ").append(op_name).append(" has no value for ").append(key));
  }
  auto bad_value = [&](const std::string& v) {
    return Malformed(std::string("Invalid value for Condition ")
                         .append(op_name)
                         .append(" ")
                         .append(key)
                         .append(": ")
                         .append(v));
  };
  for (auto& v : values) {
    switch (c.op) {
      case ConditionOp::kNumericEquals:
      case ConditionOp::kNumericLessThan:
      case ConditionOp::kNumericLessThanEquals:
      case ConditionOp::kNumericGreaterThan:
      case ConditionOp::kNumericGreaterThanEquals: {
        std::optional<double> n = ParseNumber(v);
        if (!n) return bad_value(v);
        c.numbers.push_back(*n);
        break;
      }
      case ConditionOp::kDateEquals:
      case ConditionOp::kDateLessThan:
      case ConditionOp::kDateLessThanEquals:
      case ConditionOp::kDateGreaterThan:
      case ConditionOp::kDateGreaterThanEquals: {
        std::optional<int64_t> d = ParseDateMillis(v);
        if (!d) return bad_value(v);
        c.dates.push_back(*d);
        break;
      }
      case ConditionOp::kIpAddress: {
        std::optional<IpNet> net = ParseIpNet(v);
        if (!net) return bad_value(v);
        c.nets.push_back(*net);
        break;
      }
      case ConditionOp::kBool:
      case ConditionOp::kNull: {
        std::string lower = ToLower(v);
        if (lower != "true" && lower != "false") return bad_value(v);
        if (c.op == ConditionOp::kNull) {
          c.nulls.push_back(lower == "true");
        } else {
          c.strings.push_back(std::move(lower));
        }
        break;
      }
      case ConditionOp::kStringEqualsIgnoreCase:
        c.strings.push_back(ToLower(v));
        break;
      default:
        c.strings.push_back(std::move(v));
    }
  }
  return c;
}

bool ConditionHolds(const Condition& c, const RequestContext& context) {
  const std::vector<std::string>* values = context.Find(c.key);
  const bool present = values != nullptr && !values->empty();
  if (c.op == ConditionOp::kNull) {
    for (bool want_absent : c.nulls) {
      if (want_absent != present) return true;
    }
    return false;
  }
  if (!present) {
    if (c.if_exists) return true;
    switch (c.qualifier) {
      case SetQualifier::kForAnyValue:
        return false;
      case SetQualifier::kForAllValues:
        return true;
      case SetQualifier::kNone:
        return c.negated;
    }
  }
  switch (c.qualifier) {
    case SetQualifier::kNone:
      // A single-valued operator on several request values: true if any matches.
      for (const auto& v : *values) {
        if (MatchesAny(c, v, context)) return !c.negated;
      }
      return c.negated;
    case SetQualifier::kForAnyValue:
      for (const auto& v : *values) {
        if (MatchesAny(c, v, context) != c.negated) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const auto& v : *values) {
        if (MatchesAny(c, v, context) == c.negated) return false;
      }
      return true;
  }
  return false;
}

bool ConditionsHold(const std::vector<Condition>& conditions, const RequestContext& context) {
  for (const auto& c : conditions) {
    if (!ConditionHolds(c, context)) return false;
  }
  return true;
}

}  // namespace kumo::policy
