#include "catalog/visible_buckets.h"

namespace kumo::catalog {

Result<std::vector<std::string>> CatalogBuckets(Db& db) {
  // A loose index scan: each step seeks the next bucket in obj(bucket, key).
  KUMO_ASSIGN_OR_RETURN(
      Stmt stmt, db.Prepare("WITH RECURSIVE b(name) AS (SELECT min(bucket) FROM obj UNION ALL "
                            "SELECT (SELECT min(bucket) FROM obj WHERE bucket > b.name) FROM b "
                            "WHERE b.name IS NOT NULL) SELECT name FROM b WHERE name IS NOT NULL"));
  std::vector<std::string> out;
  while (true) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, stmt.Step());
    if (r == Stmt::StepResult::kDone) break;
    out.push_back(stmt.ColumnString(0));
  }
  return out;
}

Result<VisibleBuckets> ListVisibleBuckets(Db& db,
                                          const std::function<bool(std::string_view)>& visible) {
  VisibleBuckets out;
  KUMO_ASSIGN_OR_RETURN(std::vector<std::string> all, CatalogBuckets(db));
  for (std::string& b : all) {
    if (!visible || visible(b)) out.buckets.push_back(std::move(b));
  }
  out.all = out.buckets.size() == all.size();
  return out;
}

}  // namespace kumo::catalog
