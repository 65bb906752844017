// Test helper for the query side of the catalog: a fresh catalog database (CreateSchema)
// in a temporary directory, filled with rows written directly in SQL as the catalog
// contract describes them, so that search and SQL tests do not depend on the writer.
// Not thread-safe (one test at a time).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../storage/test_util.h"
#include "catalog/schema.h"
#include "catalog/sqlite_db.h"

namespace kumo::catalog::testing {

struct ObjRow {
  std::string bucket;
  std::string key;
  int64_t size = 0;
  std::string content_type = "application/octet-stream";
  int64_t last_modified_ms = 0;
  std::vector<std::pair<std::string, std::string>> tags;  // also s3 attrs tag.<k>
  std::vector<std::pair<std::string, std::string>> meta;  // also s3 attrs meta.<k>
};

class CatalogRows {
 public:
  // path: the database file; empty: catalog.db in a fresh temporary directory.
  explicit CatalogRows(const std::string& path = "")
      : path_(path.empty() ? dir_.path() + "/catalog.db" : path) {
    auto db = Db::Open(path_, false);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Check(CreateSchema(db_));
  }

  const std::string& path() const { return path_; }
  Db& db() { return db_; }

  void Check(const Status& s) { ASSERT_TRUE(s.ok()) << s.ToString(); }

  // Inserts an object with its s3 attrs and s3 fts row; returns obj.id.
  int64_t Add(const ObjRow& o) {
    auto json = [](const std::vector<std::pair<std::string, std::string>>& kv) {
      std::string j = "{";
      for (const auto& [k, v] : kv) {
        if (j.size() > 1) j += ",";
        j.append("\"").append(k).append("\":\"").append(v).append("\"");
      }
      return j + "}";
    };
    auto st = db_.Prepare(
        "INSERT INTO obj(bucket, key, size, etag, content_type, last_modified, owner, "
        "user_meta, tags, checksum_algorithm, parts, seq) "
        "VALUES(?1, ?2, ?3, 'e' || ?2, ?4, ?5, 'root', ?6, ?7, '', 0, 1)");
    EXPECT_TRUE(st.ok());
    Check(st->Bind(1, std::string_view(o.bucket)));
    Check(st->Bind(2, std::string_view(o.key)));
    Check(st->Bind(3, o.size));
    Check(st->Bind(4, std::string_view(o.content_type)));
    Check(st->Bind(5, o.last_modified_ms));
    Check(st->Bind(6, std::string_view(json(o.meta))));
    Check(st->Bind(7, std::string_view(json(o.tags))));
    Check(st->Run());
    int64_t id = db_.LastInsertRowid();
    std::string meta_text;
    for (const auto& [k, v] : o.tags) {
      Str(id, "s3", "tag." + k, v);
      meta_text += v + " ";
    }
    for (const auto& [k, v] : o.meta) {
      Str(id, "s3", "meta." + k, v);
      meta_text += v + " ";
    }
    std::string key_words = o.key;
    for (char& c : key_words) {
      if (c == '/' || c == '.' || c == '-' || c == '_') c = ' ';
    }
    Text(id, "s3", o.key + " " + key_words, meta_text, "");
    return id;
  }

  void Num(int64_t id, const std::string& ns, const std::string& name, double num) {
    Attr(id, ns, name, &num, nullptr);
  }
  void Str(int64_t id, const std::string& ns, const std::string& name, const std::string& str) {
    Attr(id, ns, name, nullptr, &str);
  }
  void Attr(int64_t id, const std::string& ns, const std::string& name, const double* num,
            const std::string* str) {
    auto st = db_.Prepare(
        "INSERT INTO attr(object_id, namespace, name, num, str) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    EXPECT_TRUE(st.ok());
    Check(st->Bind(1, id));
    Check(st->Bind(2, std::string_view(ns)));
    Check(st->Bind(3, std::string_view(name)));
    Check(num ? st->Bind(4, *num) : st->Bind(4, nullptr));
    Check(str ? st->Bind(5, std::string_view(*str)) : st->Bind(5, nullptr));
    Check(st->Run());
  }

  void Text(int64_t id, const std::string& ns, const std::string& key, const std::string& meta,
            const std::string& body) {
    auto st = db_.Prepare("INSERT INTO fts(key, meta, body) VALUES(?1, ?2, ?3)");
    EXPECT_TRUE(st.ok());
    Check(st->Bind(1, std::string_view(key)));
    Check(st->Bind(2, std::string_view(meta)));
    Check(st->Bind(3, std::string_view(body)));
    Check(st->Run());
    int64_t rowid = db_.LastInsertRowid();
    auto fr = db_.Prepare("INSERT INTO fts_row(object_id, namespace, fts_rowid) VALUES(?1,?2,?3)");
    EXPECT_TRUE(fr.ok());
    Check(fr->Bind(1, id));
    Check(fr->Bind(2, std::string_view(ns)));
    Check(fr->Bind(3, rowid));
    Check(fr->Run());
  }

 private:
  storage::testing::TempDir dir_;
  std::string path_;
  Db db_;
};

}  // namespace kumo::catalog::testing
