#include "catalog/search_query.h"

#include <charconv>
#include <cmath>

#include "catalog/attributes.h"
#include "common/hash.h"

namespace kumo::catalog {

namespace {

Status Bad(std::string_view param, std::string_view why) {
  return Status::InvalidArgument(std::string(param).append(": ").append(why));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A finite decimal number (no hex, inf or nan), the whole text.
std::optional<double> ParseNumber(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
      return std::nullopt;
    }
  }
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

struct FieldName {
  std::string_view name;
  Field field;
};
constexpr FieldName kFields[] = {
    {"size", Field::kSize},
    {"last_modified", Field::kLastModified},
    {"content_type", Field::kContentType},
    {"etag", Field::kEtag},
    {"owner", Field::kOwner},
    {"key", Field::kKey},
    {"bucket", Field::kBucket},
    {"checksum_algorithm", Field::kChecksumAlgorithm},
    {"parts", Field::kParts},
};

bool IsOpChar(char c) { return c == '=' || c == '!' || c == '<' || c == '>' || c == '~'; }

std::optional<CompareOp> OpOf(std::string_view op) {
  if (op == "=") return CompareOp::kEq;
  if (op == "!=") return CompareOp::kNe;
  if (op == "<") return CompareOp::kLt;
  if (op == "<=") return CompareOp::kLe;
  if (op == ">") return CompareOp::kGt;
  if (op == ">=") return CompareOp::kGe;
  if (op == "~") return CompareOp::kGlob;
  return std::nullopt;
}

// A value: unquoted (trimmed), or "double-quoted" with \" and \\ escapes.
Result<std::string> Unquote(std::string_view v, bool* quoted) {
  *quoted = !v.empty() && v.front() == '"';
  if (!*quoted) return std::string(v);
  std::string out;
  for (size_t i = 1; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == '\\')) {
      out += v[++i];
    } else if (c == '"') {
      if (i + 1 != v.size()) return Bad("where", "text after the closing quote");
      return out;
    } else {
      out += c;
    }
  }
  return Bad("where", "unterminated quoted value");
}

Result<Condition> ParseWhere(std::string_view expr) {
  size_t op_start = 0;
  while (op_start < expr.size() && !IsOpChar(expr[op_start])) ++op_start;
  if (op_start == expr.size()) return Bad("where", "no operator in '" + std::string(expr) + "'");
  size_t op_end = op_start;
  while (op_end < expr.size() && IsOpChar(expr[op_end])) ++op_end;
  Condition c;
  c.name = std::string(Trim(expr.substr(0, op_start)));
  if (c.name.empty()) return Bad("where", "empty name in '" + std::string(expr) + "'");
  for (unsigned char ch : c.name) {
    if (ch < 0x20 || ch == 0x7f) return Bad("where", "control character in the name");
  }
  std::string_view op_text = expr.substr(op_start, op_end - op_start);
  auto op = OpOf(op_text);
  if (!op) return Bad("where", "bad operator '" + std::string(op_text) + "'");
  c.op = *op;
  bool quoted = false;
  KUMO_ASSIGN_OR_RETURN(c.text, Unquote(Trim(expr.substr(op_end)), &quoted));
  for (const FieldName& f : kFields) {
    if (f.name == c.name) c.field = f.field;
  }
  if (!quoted) {
    c.number = ParseNumber(c.text);
    if (!c.number) c.number = ParseRfc3339(c.text);
  }
  const bool numeric_field =
      c.field == Field::kSize || c.field == Field::kParts || c.field == Field::kLastModified;
  if (numeric_field) {
    if (c.op == CompareOp::kGlob) return Bad("where", c.name + " takes no glob (~)");
    if (!c.number) {
      return Bad("where", c.name + " needs a number" +
                              (c.field == Field::kLastModified ? " or an RFC 3339 date" : "") +
                              ", not '" + c.text + "'");
    }
    if (c.field == Field::kLastModified) {
      // A plain number is epoch seconds, as a date is: compared in milliseconds.
      *c.number = std::floor(*c.number * 1000);
    }
  } else if (c.field != Field::kAttribute) {
    c.number.reset();  // text columns compare text
  }
  return c;
}

Result<Near> ParseNear(std::string_view v) {
  Near n;
  size_t c1 = v.find(',');
  size_t c2 = c1 == std::string_view::npos ? c1 : v.find(',', c1 + 1);
  if (c2 == std::string_view::npos || v.find(',', c2 + 1) != std::string_view::npos) {
    return Bad("near", "expected LAT,LON,RADIUS");
  }
  auto lat = ParseNumber(Trim(v.substr(0, c1)));
  auto lon = ParseNumber(Trim(v.substr(c1 + 1, c2 - c1 - 1)));
  std::string_view r = Trim(v.substr(c2 + 1));
  double scale = 1;
  if (r.ends_with("km")) {
    r.remove_suffix(2);
  } else if (r.ends_with("m")) {
    r.remove_suffix(1);
    scale = 0.001;
  }
  auto radius = ParseNumber(Trim(r));
  if (!lat || *lat < -90 || *lat > 90) return Bad("near", "latitude must be in -90..90");
  if (!lon || *lon < -180 || *lon > 180) return Bad("near", "longitude must be in -180..180");
  if (!radius || *radius <= 0) return Bad("near", "radius must be a positive number (m or km)");
  n.lat = *lat;
  n.lon = *lon;
  n.radius_km = std::min(*radius * scale, 20038.0);  // half the equator: the whole globe
  return n;
}

// Each whitespace-separated word quoted as an FTS5 string ("" for a quote), ANDed.
Result<std::string> ParseText(std::string_view v) {
  if (v.size() > 1024) return Bad("text", "longer than 1024 bytes");
  std::string out;
  int words = 0;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) ++i;
    size_t start = i;
    while (i < v.size() && !(v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) ++i;
    if (i == start) break;
    if (++words > 32) return Bad("text", "more than 32 words");
    if (!out.empty()) out += " AND ";
    out += '"';
    for (char c : v.substr(start, i - start)) {
      if (c == '"') out += '"';
      if (c == '\0') return Bad("text", "NUL character");
      out += c;
    }
    out += '"';
  }
  if (out.empty()) return Bad("text", "no words");
  return out;
}

Result<Sort> ParseSort(std::string_view v) {
  Sort s;
  if (!v.empty() && v.front() == '-') {
    s.descending = true;
    v.remove_prefix(1);
  }
  if (v.empty()) return Bad("sort", "empty field");
  if (v == "key") {
    s.field = SortField::kKey;
  } else if (v == "size") {
    s.field = SortField::kSize;
  } else if (v == "last_modified") {
    s.field = SortField::kLastModified;
  } else if (v == "rank") {
    s.field = SortField::kRank;
  } else {
    for (const FieldName& f : kFields) {
      if (f.name == v) return Bad("sort", "cannot sort by " + std::string(v));
    }
    for (unsigned char ch : v) {
      if (ch < 0x20 || ch == 0x7f) return Bad("sort", "control character in the name");
    }
    s.field = SortField::kAttribute;
    s.attribute = std::string(v);
  }
  return s;
}

Result<int64_t> ParseSize(std::string_view param, std::string_view v) {
  auto n = ParseInt(v);
  if (!n || *n < 0)
    return Bad(param, "must be a non-negative integer, not '" + std::string(v) + "'");
  return *n;
}

Result<int64_t> ParseDateMs(std::string_view param, std::string_view v) {
  auto t = ParseRfc3339(v);
  if (!t) return Bad(param, "must be an RFC 3339 date, not '" + std::string(v) + "'");
  return static_cast<int64_t>(std::floor(*t * 1000));
}

std::string ToBase64Url(std::string_view bytes) {
  std::string b = Base64Encode(bytes);
  for (char& c : b) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!b.empty() && b.back() == '=') b.pop_back();
  return b;
}

bool FromBase64Url(std::string_view token, std::string* out) {
  std::string b(token);
  for (char& c : b) {
    if (c == '+' || c == '/' || c == '=') return false;  // not what ToBase64Url makes
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b.size() % 4 != 0) b += '=';
  return Base64Decode(b, out);
}

constexpr size_t kCheckBytes = 8;
// A sort value is a key (at most 1 KiB) or an attribute string (up to 64 KiB of JSON).
constexpr size_t kMaxTokenBytes = 128 * 1024;

}  // namespace

std::string Sort::Spec() const {
  std::string s = descending ? "-" : "";
  switch (field) {
    case SortField::kKey:
      return s + "key";
    case SortField::kSize:
      return s + "size";
    case SortField::kLastModified:
      return s + "last_modified";
    case SortField::kRank:
      return s + "rank";
    case SortField::kAttribute:
      return s + attribute;
  }
  return s;
}

// The payload: spec NUL id NUL type value, with type 'i' (int64), 'd' (double, shortest
// round-trip text) or 's' (the string's bytes, whatever they are).
std::string EncodeContinuation(const Sort& sort, const Continuation& c) {
  std::string payload = sort.Spec();
  payload.append(1, '\0').append(std::to_string(c.id)).append(1, '\0');
  if (const auto* i = std::get_if<int64_t>(&c.value)) {
    payload.append("i").append(std::to_string(*i));
  } else if (const auto* d = std::get_if<double>(&c.value)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), *d);
    payload.append("d").append(buf, ec == std::errc() ? end : buf);
  } else {
    payload.append("s").append(std::get<std::string>(c.value));
  }
  return ToBase64Url(payload + Sha256(payload).substr(0, kCheckBytes));
}

Result<Continuation> DecodeContinuation(const Sort& sort, std::string_view token) {
  Status bad = Bad("continuation", "not a continuation token of this search");
  std::string raw;
  if (token.size() > kMaxTokenBytes || !FromBase64Url(token, &raw) || raw.size() <= kCheckBytes)
    return bad;
  std::string_view payload = std::string_view(raw).substr(0, raw.size() - kCheckBytes);
  if (!ConstantTimeEquals(raw.substr(payload.size()), Sha256(payload).substr(0, kCheckBytes))) {
    return bad;
  }
  size_t a = payload.find('\0');
  size_t b = a == std::string_view::npos ? a : payload.find('\0', a + 1);
  if (b == std::string_view::npos || b + 1 >= payload.size()) return bad;
  if (payload.substr(0, a) != sort.Spec()) {
    return Bad("continuation", "the token belongs to another sort order");
  }
  Continuation c;
  auto id = ParseInt(payload.substr(a + 1, b - a - 1));
  if (!id) return bad;
  c.id = *id;
  const char type = payload[b + 1];
  std::string_view value = payload.substr(b + 2);
  if (type == 'i') {
    auto v = ParseInt(value);
    if (!v) return bad;
    c.value = *v;
  } else if (type == 'd') {
    double d = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) return bad;
    c.value = d;
  } else if (type == 's') {
    c.value = std::string(value);
  } else {
    return bad;
  }
  return c;
}

Result<SearchQuery> ParseSearchQuery(
    const std::vector<std::pair<std::string, std::string>>& params) {
  SearchQuery q;
  std::vector<std::string_view> seen;
  std::optional<std::string_view> sort_text, continuation, text;
  for (const auto& [name, value] : params) {
    if (name != "where") {
      for (std::string_view s : seen) {
        if (s == name) return Bad(name, "given more than once");
      }
      seen.push_back(name);
    }
    if (name == "bucket") {
      if (value.empty()) return Bad("bucket", "empty");
      q.bucket = value;
    } else if (name == "prefix") {
      q.prefix = value;
    } else if (name == "type") {
      if (value.empty()) return Bad("type", "empty");
      q.type = value;
    } else if (name == "where") {
      KUMO_ASSIGN_OR_RETURN(Condition c, ParseWhere(value));
      if (q.where.size() >= 32) return Bad("where", "more than 32 conditions");
      q.where.push_back(std::move(c));
    } else if (name == "min_size") {
      KUMO_ASSIGN_OR_RETURN(q.min_size, ParseSize(name, value));
    } else if (name == "max_size") {
      KUMO_ASSIGN_OR_RETURN(q.max_size, ParseSize(name, value));
    } else if (name == "modified_after") {
      KUMO_ASSIGN_OR_RETURN(q.modified_after_ms, ParseDateMs(name, value));
    } else if (name == "modified_before") {
      KUMO_ASSIGN_OR_RETURN(q.modified_before_ms, ParseDateMs(name, value));
    } else if (name == "near") {
      KUMO_ASSIGN_OR_RETURN(q.near, ParseNear(value));
    } else if (name == "text") {
      text = value;
    } else if (name == "sort") {
      sort_text = value;
    } else if (name == "limit") {
      auto n = ParseInt(value);
      if (!n || *n < 1 || *n > kMaxLimit) return Bad("limit", "must be an integer in 1..1000");
      q.limit = static_cast<int>(*n);
    } else if (name == "continuation") {
      continuation = value;
    } else {
      return Bad(name.empty() ? std::string_view("(empty)") : std::string_view(name),
                 "unknown parameter");
    }
  }
  if (text) {
    KUMO_ASSIGN_OR_RETURN(q.fts_match, ParseText(*text));
    q.sort.field = SortField::kRank;
  }
  if (sort_text) {
    KUMO_ASSIGN_OR_RETURN(q.sort, ParseSort(*sort_text));
    if (q.sort.field == SortField::kRank && q.fts_match.empty()) {
      return Bad("sort", "rank needs a text query");
    }
  }
  if (continuation) {
    KUMO_ASSIGN_OR_RETURN(q.continuation, DecodeContinuation(q.sort, *continuation));
  }
  return q;
}

}  // namespace kumo::catalog
