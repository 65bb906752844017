// Typed attribute rows (catalog contract, table attr): a JSON object as functions put it
// is flattened into (name, num, str) rows. A number -> num; a bool -> num 0/1 and str
// "true"/"false"; a string -> str, and when it is an RFC 3339 date or date-time also num
// = epoch seconds; an array -> its scalars joined with ", " into str (nulls skipped,
// nested values as JSON text); null -> no row; an object -> its members, names joined
// with '.'.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kumo::catalog {

// Limits of one namespace's attributes (PutAttributes).
inline constexpr size_t kMaxAttributesJson = 64 * 1024;
inline constexpr size_t kMaxAttributes = 256;
inline constexpr size_t kMaxAttributeName = 128;
inline constexpr size_t kMaxText = 1024 * 1024;

struct AttributeRow {
  std::string name;
  std::optional<double> num;
  std::optional<std::string> str;
};

// The rows of a JSON object text (empty text: none). Errors: kInvalidArgument when the
// text is over kMaxAttributesJson, is not JSON, is not an object, yields more than
// kMaxAttributes rows, or a flattened name that is empty or over kMaxAttributeName bytes.
Result<std::vector<AttributeRow>> FlattenAttributes(std::string_view json);

// The row of one string value (s3 metadata and tags are typed like this): str, plus num
// when it is RFC 3339.
AttributeRow StringAttribute(std::string name, std::string value);

// Epoch seconds (UTC, fractional) of an RFC 3339 date "YYYY-MM-DD" or date-time
// "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" ('t', 'z' and a space for 'T' are
// accepted); std::nullopt for anything else, out-of-range fields included.
std::optional<double> ParseRfc3339(std::string_view text);

}  // namespace kumo::catalog
