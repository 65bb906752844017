#include "catalog/attributes.h"

#include <nlohmann/json.hpp>

namespace kumo::catalog {
namespace {

using nlohmann::json;

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Text of a scalar inside an array.
std::string ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

class Flattener {
 public:
  Status Add(const std::string& prefix, const json& object) {
    for (const auto& [name, value] : object.items()) {
      std::string full = prefix.empty() ? name : prefix + "." + name;
      KUMO_RETURN_IF_ERROR(AddValue(full, value));
    }
    return Status::OK();
  }
  std::vector<AttributeRow> rows;

 private:
  Status AddValue(const std::string& name, const json& v) {
    if (v.is_null()) return Status::OK();
    if (v.is_object()) return Add(name, v);
    if (name.empty() || name.size() > kMaxAttributeName) {
      return Status::InvalidArgument("attribute name \"" + name.substr(0, kMaxAttributeName) +
                                     "\" is empty or longer than " +
                                     std::to_string(kMaxAttributeName) + " bytes");
    }
    if (rows.size() >= kMaxAttributes) {
      return Status::InvalidArgument("more than " + std::to_string(kMaxAttributes) + " attributes");
    }
    AttributeRow row;
    row.name = name;
    if (v.is_boolean()) {
      row.num = v.get<bool>() ? 1.0 : 0.0;
      row.str = v.get<bool>() ? "true" : "false";
    } else if (v.is_number()) {
      row.num = v.get<double>();
    } else if (v.is_string()) {
      row = StringAttribute(name, v.get<std::string>());
    } else {  // array
      std::string joined;
      for (const auto& e : v) {
        if (e.is_null()) continue;
        if (!joined.empty()) joined += ", ";
        joined += ScalarText(e);
      }
      row.str = std::move(joined);
    }
    rows.push_back(std::move(row));
    return Status::OK();
  }
};

}  // namespace

std::optional<double> ParseRfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  double seconds = static_cast<double>(DaysFromCivil(y, mo, d)) * 86400.0;
  if (s.size() == 10) return seconds;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  if (!Digits(s, 11, 2, &h) || s.size() < 19 || s[13] != ':' || !Digits(s, 14, 2, &mi) ||
      s[16] != ':' || !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;  // 60: a leap second
  seconds += h * 3600.0 + mi * 60.0 + sec;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    double scale = 0.1;
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      seconds += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos == s.size()) return std::nullopt;  // a date-time needs its offset
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return seconds;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh = 0, om = 0;
  if (pos + 6 != s.size() || !Digits(s, pos + 1, 2, &oh) || s[pos + 3] != ':' ||
      !Digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
    return std::nullopt;
  }
  double offset = oh * 3600.0 + om * 60.0;
  return s[pos] == '+' ? seconds - offset : seconds + offset;
}

AttributeRow StringAttribute(std::string name, std::string value) {
  AttributeRow row;
  row.name = std::move(name);
  row.num = ParseRfc3339(value);
  row.str = std::move(value);
  return row;
}

Result<std::vector<AttributeRow>> FlattenAttributes(std::string_view text) {
  if (text.size() > kMaxAttributesJson) {
    return Status::InvalidArgument("attributes are " + std::to_string(text.size()) +
                                   " bytes of JSON, more than " +
                                   std::to_string(kMaxAttributesJson));
  }
  if (text.empty()) return std::vector<AttributeRow>{};
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("attributes are not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("attributes must be a JSON object");
  Flattener f;
  KUMO_RETURN_IF_ERROR(f.Add("", doc));
  return std::move(f.rows);
}

}  // namespace kumo::catalog
