#include "catalog/object_row.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace kumo::catalog {
namespace {

using nlohmann::json;

std::string PairsJson(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json o = json::object();
  for (const auto& [k, v] : pairs) o[k] = v;
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Number of parts of a multipart etag "<hex>-<N>", 0 otherwise.
int64_t PartsOf(std::string_view etag) {
  size_t dash = etag.rfind('-');
  if (dash == std::string_view::npos) return 0;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(etag.data() + dash + 1, etag.data() + etag.size(), n);
  return ec == std::errc() && p == etag.data() + etag.size() ? n : 0;
}

}  // namespace

ObjectRow RowFromMeta(std::string_view bucket, std::string_view key,
                      const storage::ObjectMeta& meta, uint64_t seq) {
  ObjectRow row;
  row.bucket = bucket;
  row.key = key;
  row.size = meta.size;
  row.etag = meta.etag;
  row.content_type = meta.content_type;
  row.last_modified = meta.mtime_ms;
  row.owner = meta.owner;
  row.user_meta = PairsJson(meta.user_meta);
  row.tags = PairsJson(meta.tags);
  if (!meta.checksums.empty()) {
    row.checksum_algorithm = meta.checksums.front().first;
    std::transform(row.checksum_algorithm.begin(), row.checksum_algorithm.end(),
                   row.checksum_algorithm.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  row.parts = PartsOf(meta.etag);
  row.seq = seq;
  return row;
}

std::string KeyText(std::string_view key) {
  std::string words(key);
  for (char& c : words) {
    if (c == '/' || c == '.' || c == '-' || c == '_') c = ' ';
  }
  return std::string(key) + " " + words;
}

Result<Stmt*> ObjectRows::Prepared(const char* sql) {
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    KUMO_ASSIGN_OR_RETURN(Stmt st, db_->Prepare(sql));
    it = stmts_.emplace(sql, std::move(st)).first;
  }
  it->second.Reset();
  return &it->second;
}

Result<ObjectRows::Delta> ObjectRows::Refresh(storage::Store* store, std::string_view bucket,
                                              std::string_view key, uint64_t seq) {
  auto meta = store->HeadObject(bucket, key);
  if (!meta.ok()) {
    if (meta.status().Is(ErrorCode::kNoSuchKey) || meta.status().Is(ErrorCode::kNoSuchBucket)) {
      return Delete(bucket, key);
    }
    return meta.status();
  }
  return Upsert(RowFromMeta(bucket, key, *meta, seq));
}

Result<ObjectRows::Delta> ObjectRows::Upsert(const ObjectRow& row) {
  KUMO_ASSIGN_OR_RETURN(Stmt * find,
                        Prepared("SELECT id, etag, size, content_type, last_modified, owner, "
                                 "user_meta, tags, checksum_algorithm, parts "
                                 "FROM obj WHERE bucket = ?1 AND key = ?2"));
  KUMO_RETURN_IF_ERROR(find->Bind(1, row.bucket));
  KUMO_RETURN_IF_ERROR(find->Bind(2, row.key));
  KUMO_ASSIGN_OR_RETURN(Stmt::StepResult found, find->Step());
  if (found == Stmt::StepResult::kDone) {
    KUMO_ASSIGN_OR_RETURN(
        Stmt * ins, Prepared("INSERT INTO obj(bucket, key, size, etag, content_type, "
                             "last_modified, owner, user_meta, tags, checksum_algorithm, parts, "
                             "seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    KUMO_RETURN_IF_ERROR(ins->Bind(1, row.bucket));
    KUMO_RETURN_IF_ERROR(ins->Bind(2, row.key));
    KUMO_RETURN_IF_ERROR(ins->Bind(3, row.size));
    KUMO_RETURN_IF_ERROR(ins->Bind(4, row.etag));
    KUMO_RETURN_IF_ERROR(ins->Bind(5, row.content_type));
    KUMO_RETURN_IF_ERROR(ins->Bind(6, row.last_modified));
    KUMO_RETURN_IF_ERROR(ins->Bind(7, row.owner));
    KUMO_RETURN_IF_ERROR(ins->Bind(8, row.user_meta));
    KUMO_RETURN_IF_ERROR(ins->Bind(9, row.tags));
    KUMO_RETURN_IF_ERROR(ins->Bind(10, row.checksum_algorithm));
    KUMO_RETURN_IF_ERROR(ins->Bind(11, row.parts));
    KUMO_RETURN_IF_ERROR(ins->Bind(12, row.seq));
    KUMO_RETURN_IF_ERROR(ins->Run());
    KUMO_RETURN_IF_ERROR(WriteS3Namespace(db_->LastInsertRowid(), row));
    return 1;
  }
  const int64_t id = find->ColumnInt64(0);
  const bool etag_changed = find->ColumnText(1) != row.etag;
  const bool text_changed = find->ColumnText(6) != row.user_meta || find->ColumnText(7) != row.tags;
  const bool same =
      !etag_changed && !text_changed && static_cast<uint64_t>(find->ColumnInt64(2)) == row.size &&
      find->ColumnText(3) == row.content_type && find->ColumnInt64(4) == row.last_modified &&
      find->ColumnText(5) == row.owner && find->ColumnText(8) == row.checksum_algorithm &&
      find->ColumnInt64(9) == row.parts;
  find->Reset();
  if (same) {
    if (row.seq == 0) return 0;
    KUMO_ASSIGN_OR_RETURN(Stmt * up, Prepared("UPDATE obj SET seq = ?2 WHERE id = ?1"));
    KUMO_RETURN_IF_ERROR(up->Bind(1, id));
    KUMO_RETURN_IF_ERROR(up->Bind(2, row.seq));
    KUMO_RETURN_IF_ERROR(up->Run());
    return 0;
  }
  KUMO_ASSIGN_OR_RETURN(
      Stmt * up,
      Prepared("UPDATE obj SET size = ?2, etag = ?3, content_type = ?4, last_modified = ?5, "
               "owner = ?6, user_meta = ?7, tags = ?8, checksum_algorithm = ?9, parts = ?10, "
               "seq = CASE WHEN ?11 = 0 THEN seq ELSE ?11 END WHERE id = ?1"));
  KUMO_RETURN_IF_ERROR(up->Bind(1, id));
  KUMO_RETURN_IF_ERROR(up->Bind(2, row.size));
  KUMO_RETURN_IF_ERROR(up->Bind(3, row.etag));
  KUMO_RETURN_IF_ERROR(up->Bind(4, row.content_type));
  KUMO_RETURN_IF_ERROR(up->Bind(5, row.last_modified));
  KUMO_RETURN_IF_ERROR(up->Bind(6, row.owner));
  KUMO_RETURN_IF_ERROR(up->Bind(7, row.user_meta));
  KUMO_RETURN_IF_ERROR(up->Bind(8, row.tags));
  KUMO_RETURN_IF_ERROR(up->Bind(9, row.checksum_algorithm));
  KUMO_RETURN_IF_ERROR(up->Bind(10, row.parts));
  KUMO_RETURN_IF_ERROR(up->Bind(11, row.seq));
  KUMO_RETURN_IF_ERROR(up->Run());
  // Function attributes described the old bytes.
  if (etag_changed) KUMO_RETURN_IF_ERROR(DropFunctionNamespaces(id));
  if (text_changed) {
    KUMO_RETURN_IF_ERROR(RemoveNamespace(id, kS3Namespace));
    KUMO_RETURN_IF_ERROR(WriteS3Namespace(id, row));
  }
  return 0;
}

Result<ObjectRows::Delta> ObjectRows::Delete(std::string_view bucket, std::string_view key) {
  KUMO_ASSIGN_OR_RETURN(std::optional<Found> found, Find(bucket, key));
  if (!found) return 0;
  KUMO_ASSIGN_OR_RETURN(Stmt * text,
                        Prepared("DELETE FROM fts WHERE rowid IN "
                                 "(SELECT fts_rowid FROM fts_row WHERE object_id = ?1)"));
  KUMO_RETURN_IF_ERROR(text->Bind(1, found->id));
  KUMO_RETURN_IF_ERROR(text->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * del, Prepared("DELETE FROM obj WHERE id = ?1"));
  KUMO_RETURN_IF_ERROR(del->Bind(1, found->id));
  KUMO_RETURN_IF_ERROR(del->Run());
  return -1;
}

Result<int64_t> ObjectRows::DeleteBucket(std::string_view bucket) {
  KUMO_ASSIGN_OR_RETURN(
      Stmt * text,
      Prepared("DELETE FROM fts WHERE rowid IN (SELECT fts_rowid FROM fts_row WHERE object_id "
               "IN (SELECT id FROM obj WHERE bucket = ?1))"));
  KUMO_RETURN_IF_ERROR(text->Bind(1, bucket));
  KUMO_RETURN_IF_ERROR(text->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * del, Prepared("DELETE FROM obj WHERE bucket = ?1"));
  KUMO_RETURN_IF_ERROR(del->Bind(1, bucket));
  KUMO_RETURN_IF_ERROR(del->Run());
  return db_->Changes();
}

Result<std::optional<ObjectRows::Found>> ObjectRows::Find(std::string_view bucket,
                                                          std::string_view key) {
  KUMO_ASSIGN_OR_RETURN(Stmt * st, Prepared("SELECT id, etag FROM obj WHERE bucket = ?1 AND "
                                            "key = ?2"));
  KUMO_RETURN_IF_ERROR(st->Bind(1, bucket));
  KUMO_RETURN_IF_ERROR(st->Bind(2, key));
  KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st->Step());
  if (r == Stmt::StepResult::kDone) return std::optional<Found>();
  Found f{st->ColumnInt64(0), st->ColumnString(1)};
  st->Reset();
  return std::optional<Found>(std::move(f));
}

Status ObjectRows::InsertAttributes(int64_t id, std::string_view ns,
                                    const std::vector<AttributeRow>& rows) {
  if (rows.empty()) return Status::OK();
  KUMO_ASSIGN_OR_RETURN(Stmt * ins,
                        Prepared("INSERT OR REPLACE INTO attr(object_id, namespace, name, num, "
                                 "str) VALUES(?1, ?2, ?3, ?4, ?5)"));
  for (const auto& r : rows) {
    KUMO_RETURN_IF_ERROR(ins->Bind(1, id));
    KUMO_RETURN_IF_ERROR(ins->Bind(2, ns));
    KUMO_RETURN_IF_ERROR(ins->Bind(3, r.name));
    KUMO_RETURN_IF_ERROR(r.num ? ins->Bind(4, *r.num) : ins->Bind(4, nullptr));
    KUMO_RETURN_IF_ERROR(r.str ? ins->Bind(5, std::string_view(*r.str)) : ins->Bind(5, nullptr));
    KUMO_RETURN_IF_ERROR(ins->Run());
  }
  return Status::OK();
}

Status ObjectRows::DeleteText(int64_t id, std::string_view ns) {
  KUMO_ASSIGN_OR_RETURN(Stmt * text,
                        Prepared("DELETE FROM fts WHERE rowid IN (SELECT fts_rowid FROM fts_row "
                                 "WHERE object_id = ?1 AND namespace = ?2)"));
  KUMO_RETURN_IF_ERROR(text->Bind(1, id));
  KUMO_RETURN_IF_ERROR(text->Bind(2, ns));
  KUMO_RETURN_IF_ERROR(text->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * row,
                        Prepared("DELETE FROM fts_row WHERE object_id = ?1 AND namespace = ?2"));
  KUMO_RETURN_IF_ERROR(row->Bind(1, id));
  KUMO_RETURN_IF_ERROR(row->Bind(2, ns));
  return row->Run();
}

Status ObjectRows::InsertText(int64_t id, std::string_view ns, std::string_view key,
                              std::string_view meta, std::string_view body) {
  KUMO_ASSIGN_OR_RETURN(Stmt * fts,
                        Prepared("INSERT INTO fts(key, meta, body) VALUES(?1, ?2, ?3)"));
  KUMO_RETURN_IF_ERROR(fts->Bind(1, key));
  KUMO_RETURN_IF_ERROR(fts->Bind(2, meta));
  KUMO_RETURN_IF_ERROR(fts->Bind(3, body));
  KUMO_RETURN_IF_ERROR(fts->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * row, Prepared("INSERT OR REPLACE INTO fts_row(object_id, "
                                             "namespace, fts_rowid) VALUES(?1, ?2, ?3)"));
  KUMO_RETURN_IF_ERROR(row->Bind(1, id));
  KUMO_RETURN_IF_ERROR(row->Bind(2, ns));
  KUMO_RETURN_IF_ERROR(row->Bind(3, db_->LastInsertRowid()));
  return row->Run();
}

Status ObjectRows::DropFunctionNamespaces(int64_t id) {
  KUMO_ASSIGN_OR_RETURN(Stmt * text,
                        Prepared("DELETE FROM fts WHERE rowid IN (SELECT fts_rowid FROM fts_row "
                                 "WHERE object_id = ?1 AND namespace != 's3')"));
  KUMO_RETURN_IF_ERROR(text->Bind(1, id));
  KUMO_RETURN_IF_ERROR(text->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * rows,
                        Prepared("DELETE FROM fts_row WHERE object_id = ?1 AND namespace != 's3'"));
  KUMO_RETURN_IF_ERROR(rows->Bind(1, id));
  KUMO_RETURN_IF_ERROR(rows->Run());
  KUMO_ASSIGN_OR_RETURN(Stmt * attrs,
                        Prepared("DELETE FROM attr WHERE object_id = ?1 AND namespace != 's3'"));
  KUMO_RETURN_IF_ERROR(attrs->Bind(1, id));
  return attrs->Run();
}

Status ObjectRows::WriteS3Namespace(int64_t id, const ObjectRow& row) {
  std::vector<AttributeRow> attrs;
  std::string meta_text;
  const auto add = [&](const std::string& json_text, const char* prefix) {
    json o = json::parse(json_text, nullptr, false);
    if (!o.is_object()) return;
    for (const auto& [name, value] : o.items()) {
      if (!value.is_string()) continue;
      std::string v = value.get<std::string>();
      if (!meta_text.empty()) meta_text += ' ';
      meta_text += v;
      attrs.push_back(StringAttribute(prefix + name, std::move(v)));
    }
  };
  add(row.user_meta, "meta.");
  add(row.tags, "tag.");
  KUMO_RETURN_IF_ERROR(InsertAttributes(id, kS3Namespace, attrs));
  return InsertText(id, kS3Namespace, KeyText(row.key), meta_text, "");
}

Status ObjectRows::ReplaceNamespace(int64_t id, std::string_view ns,
                                    const std::vector<AttributeRow>& rows, std::string_view text) {
  KUMO_RETURN_IF_ERROR(RemoveNamespace(id, ns));
  KUMO_RETURN_IF_ERROR(InsertAttributes(id, ns, rows));
  if (text.empty()) return Status::OK();
  return InsertText(id, ns, "", "", text);
}

Status ObjectRows::RemoveNamespace(int64_t id, std::string_view ns) {
  KUMO_RETURN_IF_ERROR(DeleteText(id, ns));
  KUMO_ASSIGN_OR_RETURN(Stmt * attrs,
                        Prepared("DELETE FROM attr WHERE object_id = ?1 AND namespace = ?2"));
  KUMO_RETURN_IF_ERROR(attrs->Bind(1, id));
  KUMO_RETURN_IF_ERROR(attrs->Bind(2, ns));
  return attrs->Run();
}

Result<std::vector<std::string>> ObjectRows::KeysBetween(std::string_view bucket,
                                                         std::string_view after,
                                                         std::string_view through) {
  KUMO_ASSIGN_OR_RETURN(Stmt * st,
                        Prepared("SELECT key FROM obj WHERE bucket = ?1 AND (?2 = '' OR key > ?2) "
                                 "AND (?3 = '' OR key <= ?3) ORDER BY key"));
  KUMO_RETURN_IF_ERROR(st->Bind(1, bucket));
  KUMO_RETURN_IF_ERROR(st->Bind(2, after));
  KUMO_RETURN_IF_ERROR(st->Bind(3, through));
  std::vector<std::string> keys;
  for (;;) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st->Step());
    if (r == Stmt::StepResult::kDone) break;
    keys.push_back(st->ColumnString(0));
  }
  st->Reset();
  return keys;
}

Result<std::vector<std::string>> ObjectRows::Buckets() {
  KUMO_ASSIGN_OR_RETURN(Stmt * st, Prepared("SELECT DISTINCT bucket FROM obj ORDER BY bucket"));
  std::vector<std::string> out;
  for (;;) {
    KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st->Step());
    if (r == Stmt::StepResult::kDone) break;
    out.push_back(st->ColumnString(0));
  }
  st->Reset();
  return out;
}

Result<int64_t> ObjectRows::Count() {
  KUMO_ASSIGN_OR_RETURN(Stmt * st, Prepared("SELECT count(*) FROM obj"));
  KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st->Step());
  int64_t n = r == Stmt::StepResult::kRow ? st->ColumnInt64(0) : 0;
  st->Reset();
  return n;
}

Result<std::optional<uint64_t>> ObjectRows::Cursor() {
  KUMO_ASSIGN_OR_RETURN(Stmt * st, Prepared("SELECT value FROM catalog_state WHERE name = "
                                            "'cursor'"));
  KUMO_ASSIGN_OR_RETURN(Stmt::StepResult r, st->Step());
  std::optional<uint64_t> out;
  if (r == Stmt::StepResult::kRow) out = static_cast<uint64_t>(st->ColumnInt64(0));
  st->Reset();
  return out;
}

Status ObjectRows::SetCursor(uint64_t cursor) {
  return SetState("cursor", static_cast<int64_t>(cursor));
}

Status ObjectRows::SetState(std::string_view name, int64_t value) {
  KUMO_ASSIGN_OR_RETURN(Stmt * st, Prepared("INSERT OR REPLACE INTO catalog_state(name, value) "
                                            "VALUES(?1, ?2)"));
  KUMO_RETURN_IF_ERROR(st->Bind(1, name));
  KUMO_RETURN_IF_ERROR(st->Bind(2, value));
  return st->Run();
}

}  // namespace kumo::catalog
