#include "catalog/search_sql.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace kumo::catalog {

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;

class Builder {
 public:
  // Appends "?N" bound to v.
  std::string Param(SqlValue v) {
    binds_.push_back(std::move(v));
    return std::string("?").append(std::to_string(binds_.size()));
  }
  void And(const std::string& clause) { where_.append(" AND ").append(clause); }
  std::string& where() { return where_; }
  std::vector<SqlValue>& binds() { return binds_; }

 private:
  std::string where_;
  std::vector<SqlValue> binds_;
};

const char* OpSql(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kGlob:
      return "GLOB";
  }
  return "=";
}

const char* ColumnOf(Field f) {
  switch (f) {
    case Field::kSize:
      return "obj.size";
    case Field::kLastModified:
      return "obj.last_modified";
    case Field::kContentType:
      return "obj.content_type";
    case Field::kEtag:
      return "obj.etag";
    case Field::kOwner:
      return "obj.owner";
    case Field::kKey:
      return "obj.key";
    case Field::kBucket:
      return "obj.bucket";
    case Field::kChecksumAlgorithm:
      return "obj.checksum_algorithm";
    case Field::kParts:
      return "obj.parts";
    case Field::kAttribute:
      break;
  }
  return "NULL";
}

// The text before the first glob metacharacter: every match starts with it.
std::string GlobPrefix(std::string_view glob) {
  return std::string(glob.substr(0, glob.find_first_of("*?[")));
}

// `column >= prefix AND column < upper`, so that an index on column is used.
void PrefixRange(Builder& b, const char* column, const std::string& prefix) {
  if (prefix.empty()) return;
  b.And(std::string(column) + " >= " + b.Param(prefix));
  if (auto upper = PrefixUpperBound(prefix)) b.And(std::string(column) + " < " + b.Param(*upper));
}

// obj.id IN (the objects with an attribute matching c), driven by attr_num / attr_str.
void AttributeCondition(Builder& b, const Condition& c) {
  const std::string name = b.Param(c.name);
  std::string sub = "SELECT object_id FROM attr WHERE name = " + name + " AND ";
  if (c.op == CompareOp::kGlob) {
    sub += "str GLOB " + b.Param(c.text);
  } else if (c.op == CompareOp::kNe) {
    // Has the attribute, and it is neither this number nor this text.
    if (c.number) sub += "(num IS NULL OR num != " + b.Param(*c.number) + ") AND ";
    sub += "(str IS NULL OR str != " + b.Param(c.text) + ")";
  } else if (c.number && c.op == CompareOp::kEq) {
    // A number also matches the same text (tags and metadata are strings).
    sub += "num = " + b.Param(*c.number) +
           " UNION SELECT object_id FROM attr WHERE name = " + name +
           " AND str = " + b.Param(c.text);
  } else if (c.number) {
    sub += std::string("num ") + OpSql(c.op) + " " + b.Param(*c.number);
  } else {
    sub += std::string("str ") + OpSql(c.op) + " " + b.Param(c.text);
  }
  b.And("obj.id IN (" + sub + ")");
}

void SystemCondition(Builder& b, const Condition& c) {
  std::string clause = std::string(ColumnOf(c.field)) + " " + OpSql(c.op) + " ";
  if (c.number) {
    // size/parts/last_modified are integers: compare as such where exact.
    double n = *c.number;
    if (n == std::floor(n) && std::fabs(n) < 9e18) {
      clause += b.Param(static_cast<int64_t>(n));
    } else {
      clause += b.Param(n);
    }
  } else {
    clause += b.Param(c.text);
  }
  b.And(clause);
  if (c.field == Field::kKey || c.field == Field::kContentType) {
    if (c.op == CompareOp::kGlob) PrefixRange(b, ColumnOf(c.field), GlobPrefix(c.text));
  }
}

// A bounding box on the attr_num index (gps.lat, then gps.lon when the box does not wrap),
// then the exact distance. The per-object lookups say +name so that SQLite seeks the
// primary key (object_id, ...) instead of walking attr_num's entries for the name.
void NearCondition(Builder& b, const Near& n) {
  const double dlat = n.radius_km / kEarthRadiusKm * 180 / kPi;
  b.And("obj.id IN (SELECT object_id FROM attr WHERE name = 'gps.lat' AND num BETWEEN " +
        b.Param(n.lat - dlat) + " AND " + b.Param(n.lat + dlat) + ")");
  const double cos_lat = std::cos((std::fabs(n.lat) + dlat) * kPi / 180);
  if (std::fabs(n.lat) + dlat < 89 && cos_lat > 0) {
    const double dlon = dlat / cos_lat;
    if (n.lon - dlon >= -180 && n.lon + dlon <= 180) {
      b.And("obj.id IN (SELECT object_id FROM attr WHERE name = 'gps.lon' AND num BETWEEN " +
            b.Param(n.lon - dlon) + " AND " + b.Param(n.lon + dlon) + ")");
    }
  }
  b.And(
      "kumo_distance_km((SELECT num FROM attr WHERE object_id = obj.id AND +name = 'gps.lat'), "
      "(SELECT num FROM attr WHERE object_id = obj.id AND +name = 'gps.lon'), " +
      b.Param(n.lat) + ", " + b.Param(n.lon) + ") <= " + b.Param(n.radius_km));
}

SqlValue ContinuationValue(const Continuation& c) {
  return std::visit([](const auto& v) -> SqlValue { return v; }, c.value);
}

}  // namespace

std::optional<std::string> PrefixUpperBound(std::string_view prefix) {
  std::string upper(prefix);
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xff) upper.pop_back();
  if (upper.empty()) return std::nullopt;
  upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
  return upper;
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  const double r = kPi / 180;
  const double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * r) * std::cos(lat2 * r) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, a)));
}

SearchSql BuildSearchSql(const SearchQuery& q,
                         const std::optional<std::vector<std::string>>& buckets) {
  Builder b;
  std::string with, from = "obj", best;
  if (!q.fts_match.empty()) {
    // One row per object: its best-ranked text row (bare columns of min() come from the
    // row holding the minimum).
    with =
        "WITH m(oid, r, best) AS MATERIALIZED (SELECT fr.object_id, min(fts.rank), fts.rowid "
        "FROM fts JOIN fts_row fr ON fr.fts_rowid = fts.rowid WHERE fts MATCH " +
        b.Param(q.fts_match) + " GROUP BY fr.object_id) ";
    from = "m JOIN obj ON obj.id = m.oid";
    best = ", m.best";
  }
  std::string sort_expr;
  switch (q.sort.field) {
    case SortField::kKey:
      sort_expr = "obj.key";
      break;
    case SortField::kSize:
      sort_expr = "obj.size";
      break;
    case SortField::kLastModified:
      sort_expr = "obj.last_modified";
      break;
    case SortField::kRank:
      sort_expr = "m.r";
      break;
    case SortField::kAttribute: {
      // The attribute of that name in the object's first namespace that has it.
      std::string n1 = b.Param(q.sort.attribute), n2 = b.Param(q.sort.attribute);
      from += " JOIN attr s ON s.object_id = obj.id AND +s.name = " + n1 +
              " AND s.namespace = (SELECT min(namespace) FROM attr WHERE object_id = obj.id AND "
              "+name = " +
              n2 + ")";
      sort_expr = "coalesce(s.num, s.str)";
      break;
    }
  }
  if (q.bucket) b.And("obj.bucket = " + b.Param(*q.bucket));
  if (buckets) {
    b.And("obj.bucket IN (SELECT value FROM json_each(" +
          b.Param(nlohmann::json(*buckets).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace)) +
          "))");
  }
  if (q.prefix) PrefixRange(b, "obj.key", *q.prefix);
  if (q.type) {
    b.And("obj.content_type GLOB " + b.Param(*q.type));
    PrefixRange(b, "obj.content_type", GlobPrefix(*q.type));
  }
  if (q.min_size) b.And("obj.size >= " + b.Param(*q.min_size));
  if (q.max_size) b.And("obj.size <= " + b.Param(*q.max_size));
  if (q.modified_after_ms) b.And("obj.last_modified > " + b.Param(*q.modified_after_ms));
  if (q.modified_before_ms) b.And("obj.last_modified < " + b.Param(*q.modified_before_ms));
  for (const Condition& c : q.where) {
    if (c.field == Field::kAttribute) {
      AttributeCondition(b, c);
    } else {
      SystemCondition(b, c);
    }
  }
  if (q.near) NearCondition(b, *q.near);
  const char* dir = q.sort.descending ? " DESC" : "";
  if (q.continuation) {
    b.And("(" + sort_expr + ", obj.id) " + (q.sort.descending ? "<" : ">") + " (" +
          b.Param(ContinuationValue(*q.continuation)) + ", " + b.Param(q.continuation->id) + ")");
  }
  SearchSql out;
  out.sql = with +
            "SELECT obj.id, obj.bucket, obj.key, obj.size, obj.etag, obj.content_type, "
            "obj.last_modified, " +
            sort_expr + best + " FROM " + from + " WHERE 1" + b.where() + " ORDER BY " + sort_expr +
            dir + ", obj.id" + dir + " LIMIT " + b.Param(int64_t{q.limit} + 1);
  out.binds = std::move(b.binds());
  return out;
}

}  // namespace kumo::catalog
