// The Condition element of the policy language: the request context it reads, the
// operators, and their evaluation with AWS semantics:
// - the operators of one Condition block, and the keys of one operator, are ANDed;
// - the values of one key are ORed; a negated operator (StringNotEquals, NotIpAddress,
//   ...) is the NOT of that OR;
// - a key absent from the request makes a positive operator false and a negated one true;
//   "...IfExists" makes it true; ForAnyValue: is false and ForAllValues: true on an
//   absent key; Null tests presence.
// Condition keys are case-insensitive (held lower-cased). A Condition is immutable after
// MakeCondition and safe to evaluate from many threads; a RequestContext is a plain
// value owned by one request.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "policy/condition_values.h"

namespace kumo::policy {

// The values of the condition keys of one request, e.g. "aws:SourceIp", "s3:prefix",
// "s3:ExistingObjectTag/<key>"; a key may hold several values (s3:RequestObjectTagKeys).
// The condition keys a set of policies reads, so that a request fills only those (each key
// costs allocations). Computed once per policy (ContextKeysOf, access.h).
struct ContextKeys {
  bool needed = true;             // the policy reads the request context at all
  bool all = true;                // every key (policy variables may name any)
  std::vector<std::string> keys;  // lower-case (when !all)
};

class RequestContext {
 public:
  // From now on, keys none of the given sets (nullptr: none) reads are not stored.
  void Restrict(const ContextKeys* a, const ContextKeys* b) {
    only_a_ = a;
    only_b_ = b;
    restricted_ = true;
  }
  // Whether a Set/Add of key (any case) would be kept: callers skip computing values
  // nobody reads. Does not allocate.
  bool Wants(std::string_view key) const;
  // Replaces the values of key (case-insensitive) with one value.
  void Set(std::string_view key, std::string value);
  // Adds one more value to key.
  void Add(std::string_view key, std::string value);
  // The values of an already lower-cased key, or nullptr when the request has none.
  // Does not allocate.
  const std::vector<std::string>* Find(std::string_view lower_key) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  bool restricted_ = false;
  const ContextKeys* only_a_ = nullptr;
  const ContextKeys* only_b_ = nullptr;
};

// The base comparison of an operator; the negated forms share it (see Condition).
enum class ConditionOp : uint8_t {
  kStringEquals,
  kStringEqualsIgnoreCase,
  kStringLike,
  kNumericEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kIpAddress,
  kArnLike,  // ArnEquals and ArnLike alike: both accept '*' and '?'
  kNull,
};

enum class SetQualifier : uint8_t { kNone, kForAnyValue, kForAllValues };

// One (operator, key, values) triple, its values parsed into the operator's type.
struct Condition {
  ConditionOp op = ConditionOp::kStringEquals;
  SetQualifier qualifier = SetQualifier::kNone;
  bool negated = false;              // StringNotEquals, NumericNotEquals, NotIpAddress, ...
  bool if_exists = false;            // the ...IfExists form
  std::string key;                   // lower-cased
  std::vector<std::string> strings;  // String*, Arn*, Bool ("true"/"false"); lower-cased
                                     // for the IgnoreCase forms
  std::vector<double> numbers;       // Numeric*
  std::vector<int64_t> dates;        // Date*, milliseconds since the epoch
  std::vector<IpNet> nets;           // IpAddress
  std::vector<bool> nulls;           // Null
  // A String* / Arn* value holds a policy variable (variables.h) to expand at evaluation;
  // set by ParsePolicy for 2012-10-17 policies.
  bool variables = false;
};

// Builds a condition from its operator name (e.g. "ForAnyValue:StringLikeIfExists"),
// key and values (JSON scalars as text). Errors: kMalformedPolicy naming the unknown
// operator or the value that does not fit the operator's type.
Result<Condition> MakeCondition(std::string_view op_name, std::string_view key,
                                std::vector<std::string> values);

// Evaluates one condition, or all of them (ANDed), against a request. Do not allocate.
bool ConditionHolds(const Condition& condition, const RequestContext& context);
bool ConditionsHold(const std::vector<Condition>& conditions, const RequestContext& context);

}  // namespace kumo::policy
