#include "cli/search_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "cli/admin_request.h"
#include "common/http_request.h"

namespace kumo::cli {
namespace {

struct SearchArgs {
  std::string bucket, prefix, type, near, text, sort, continuation;
  std::vector<std::string> where;
  std::string limit;  // as given (the server checks it)
  bool json = false;
};

struct SqlArgs {
  std::string sql;
  bool json = false;
};

// A JSON value as a table cell: strings bare, null as NULL, the rest as JSON.
std::string Cell(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "NULL";
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

void AddParam(std::string* query, std::string_view name, std::string_view value) {
  if (!query->empty()) *query += '&';
  query->append(name).append("=").append(UrlEncode(value));
}

int Search(const GlobalOptions& options, const SearchArgs& a) {
  std::string query;
  if (!a.bucket.empty()) AddParam(&query, "bucket", a.bucket);
  if (!a.prefix.empty()) AddParam(&query, "prefix", a.prefix);
  if (!a.type.empty()) AddParam(&query, "type", a.type);
  for (const std::string& w : a.where) AddParam(&query, "where", w);
  if (!a.near.empty()) AddParam(&query, "near", a.near);
  if (!a.text.empty()) AddParam(&query, "text", a.text);
  if (!a.sort.empty()) AddParam(&query, "sort", a.sort);
  if (!a.limit.empty()) AddParam(&query, "limit", a.limit);
  if (!a.continuation.empty()) AddParam(&query, "continuation", a.continuation);
  auto reply = AdminRequest(options, "GET", "/_kumo/search" + (query.empty() ? "" : "?" + query));
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  const bool text = !a.text.empty();
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"BUCKET", "KEY", "SIZE", "TYPE", "MODIFIED", "ATTRIBUTES"});
  if (text) rows[0].push_back("SNIPPET");
  for (const auto& r : reply->value("results", nlohmann::json::array())) {
    std::string attrs;
    int shown = 0;
    for (const auto& [name, value] : r.value("attributes", nlohmann::json::object()).items()) {
      if (++shown > 3) {
        attrs += " ...";
        break;
      }
      if (!attrs.empty()) attrs += ' ';
      attrs += name + "=" + Cell(value);
    }
    rows.push_back({Cell(r.value("bucket", nlohmann::json())),
                    Cell(r.value("key", nlohmann::json())), Cell(r.value("size", nlohmann::json())),
                    Cell(r.value("content_type", nlohmann::json())),
                    Cell(r.value("last_modified", nlohmann::json())), attrs.empty() ? "-" : attrs});
    if (text) rows.back().push_back(Cell(r.value("snippet", nlohmann::json(""))));
  }
  PrintTable(rows);
  auto next = reply->find("next");
  if (next != reply->end() && next->is_string()) {
    std::cout << "more: --continuation " << next->get<std::string>() << "\n";
  }
  return 0;
}

int Sql(const GlobalOptions& options, const SqlArgs& a) {
  std::string sql = a.sql;
  if (sql == "-") sql.assign(std::istreambuf_iterator<char>(std::cin), {});
  auto reply = AdminRequest(options, "POST", "/_kumo/sql?format=json", sql);
  if (!reply) return 1;
  if (a.json) {
    std::cout << reply->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows(1);
  for (const auto& c : reply->value("columns", nlohmann::json::array())) rows[0].push_back(Cell(c));
  for (const auto& r : reply->value("rows", nlohmann::json::array())) {
    std::vector<std::string> row;
    for (const auto& v : r) row.push_back(Cell(v));
    rows.push_back(std::move(row));
  }
  PrintTable(rows);
  if (reply->value("truncated", false)) {
    std::cerr << "kumo: truncated at " << rows.size() - 1 << " rows\n";
  }
  return 0;
}

}  // namespace

void AddSearchCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>* action) {
  auto s = std::make_shared<SearchArgs>();
  CLI::App* search = app.add_subcommand("search", "search the object catalog");
  search->add_option("--bucket", s->bucket, "only this bucket");
  search->add_option("--prefix", s->prefix, "only keys starting with this");
  search->add_option("--type", s->type, "content type glob, e.g. 'image/*'");
  search->add_option("--where", s->where, "NAME OP VALUE (=, !=, <, <=, >, >=, ~ glob); repeatable")
      ->take_all();
  search->add_option("--near", s->near, "LAT,LON,RADIUS (m or km, default km)");
  search->add_option("--text", s->text, "words to find in keys, metadata and function text");
  search->add_option("--sort", s->sort,
                     "key, size, last_modified, rank or an attribute; -FIELD descends");
  search->add_option("--limit", s->limit, "results per page (1..1000, default 100)");
  search->add_option("--continuation", s->continuation, "the token a previous page printed");
  search->add_flag("--json", s->json, "print the server's JSON");
  search->callback(
      [&options, action, s] { *action = [&options, s] { return Search(options, *s); }; });

  auto q = std::make_shared<SqlArgs>();
  CLI::App* sql = app.add_subcommand("sql", "run one read-only SELECT over the catalog views");
  sql->add_option("query", q->sql, "the SELECT (\"-\": read it from stdin)")->required();
  sql->add_flag("--json", q->json, "print the server's JSON");
  sql->callback([&options, action, q] { *action = [&options, q] { return Sql(options, *q); }; });
}

}  // namespace kumo::cli
