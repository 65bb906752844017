#include "text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>

#include "sniff.h"

namespace kumo::metadata {
namespace {

// The length of the UTF-8 sequence starting at s[i], or 0 if it is invalid there;
// *incomplete is set when it is valid so far but cut by the end of s.
size_t Utf8Length(std::string_view s, size_t i, bool* incomplete) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || (n == 2 && c < 0xc2) || c > 0xf4) return 0;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) {
      *incomplete = true;
      return 0;
    }
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 0;
  }
  if (n == 3) {
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)) return 0;  // overlong, surrogate
  } else if (n == 4) {
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90)) return 0;
  }
  return n;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x110000) {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Decodes the entity at html[i] ('&'); appends it and returns its length, or 0.
size_t DecodeEntity(std::string_view html, size_t i, std::string& out) {
  size_t semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  std::string_view name = html.substr(i + 1, semi - i - 1);
  static constexpr std::pair<std::string_view, uint32_t> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '}};
  for (const auto& [n, cp] : kNamed) {
    if (name == n) {
      AppendUtf8(out, cp);
      return semi - i + 1;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string digits(name.substr(hex ? 2 : 1));
    if (digits.empty() || digits.size() > 7) return 0;
    char* end = nullptr;
    unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (*end != '\0' || cp == 0 || cp >= 0x110000 || (cp >= 0xd800 && cp < 0xe000)) return 0;
    AppendUtf8(out, static_cast<uint32_t>(cp));
    return semi - i + 1;
  }
  return 0;
}

// Reads the JSON string starting after the quote at json[i]; returns the index after
// its closing quote, or npos when json ends inside it.
size_t ReadJsonString(std::string_view json, size_t i, std::string* out) {
  for (; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') return i + 1;
    if (c != '\\') {
      if (out != nullptr) out->push_back(c);
      continue;
    }
    if (++i >= json.size()) return std::string_view::npos;
    char e = json[i];
    if (e == 'u') {
      if (i + 4 >= json.size()) return std::string_view::npos;
      uint32_t cp = std::strtoul(std::string(json.substr(i + 1, 4)).c_str(), nullptr, 16);
      if (out != nullptr) AppendUtf8(*out, cp);
      i += 4;
    } else if (out != nullptr) {
      out->push_back(e == 'n'   ? '\n'
                     : e == 't' ? '\t'
                     : e == 'r' ? '\r'
                     : e == 'b' ? '\b'
                     : e == 'f' ? '\f'
                                : e);
    }
  }
  return std::string_view::npos;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

}  // namespace

std::string TruncateUtf8(std::string_view s, size_t limit) {
  if (s.size() <= limit) return std::string(s);
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) >> 6) == 2) --cut;
  return std::string(s.substr(0, cut));
}

std::string ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool valid = true;
  for (size_t i = 0; i < s.size();) {
    bool incomplete = false;
    size_t n = Utf8Length(s, i, &incomplete);
    if (n == 0) {
      valid = incomplete;  // a character cut by the end: drop it
      break;
    }
    if (s[i] != '\0') out.append(s.data() + i, n);
    i += n;
  }
  if (valid) return out;
  out.clear();
  for (char c : s) {
    if (c != '\0') AppendUtf8(out, static_cast<unsigned char>(c));
  }
  return out;
}

std::string StripHtml(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  bool blank = true;
  auto emit_space = [&] {
    if (!blank) out.push_back(' ');
    blank = true;
  };
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      size_t name_end = tag.find_first_of(" \t\r\n/>");
      std::string_view name = tag.substr(0, name_end);
      i = end + 1;
      for (std::string_view raw : {std::string_view("script"), std::string_view("style")}) {
        if (IEquals(name, raw)) {
          // Skip to the matching close tag, case-insensitively.
          std::string close = "</" + std::string(raw);
          size_t j = i;
          for (; j + close.size() <= html.size(); ++j) {
            if (IEquals(html.substr(j, close.size()), close)) break;
          }
          size_t gt = html.find('>', j);
          i = gt == std::string_view::npos ? html.size() : gt + 1;
        }
      }
      emit_space();
      continue;
    }
    if (c == '&') {
      size_t n = DecodeEntity(html, i, out);
      if (n > 0) {
        blank = false;
        i += n;
        continue;
      }
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      emit_space();
    } else {
      out.push_back(c);
      blank = false;
    }
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> JsonTopLevelKeys(std::string_view json) {
  std::vector<std::string> keys;
  size_t i = json.substr(0, 3) == "\xef\xbb\xbf" ? 3 : 0;
  while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i]))) ++i;
  if (i >= json.size() || json[i] != '{') return keys;
  int depth = 0;
  bool expect_key = false;
  for (; i < json.size() && keys.size() < 1000;) {
    char c = json[i];
    if (c == '"') {
      std::string s;
      bool is_key = depth == 1 && expect_key;
      size_t next = ReadJsonString(json, i + 1, is_key ? &s : nullptr);
      if (next == std::string_view::npos) break;
      if (is_key) keys.push_back(std::move(s));
      expect_key = false;
      i = next;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
      expect_key = c == '{' && depth == 1;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) break;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
    ++i;
  }
  return keys;
}

std::vector<std::string> CsvColumns(std::string_view csv, bool tsv) {
  if (csv.substr(0, 3) == "\xef\xbb\xbf") csv.remove_prefix(3);
  // The header line: up to the first newline outside quotes.
  size_t end = 0;
  for (bool quoted = false; end < csv.size(); ++end) {
    if (csv[end] == '"') quoted = !quoted;
    if (!quoted && (csv[end] == '\n' || csv[end] == '\r')) break;
  }
  std::string_view line = csv.substr(0, end);
  char delim = tsv                                         ? '\t'
               : line.find(',') != std::string_view::npos  ? ','
               : line.find(';') != std::string_view::npos  ? ';'
               : line.find('\t') != std::string_view::npos ? '\t'
                                                           : ',';
  std::vector<std::string> columns;
  std::string field;
  bool quoted = false;
  auto finish = [&] {
    size_t b = field.find_first_not_of(" \t");
    size_t e = field.find_last_not_of(" \t");
    columns.push_back(b == std::string::npos ? std::string() : field.substr(b, e - b + 1));
    field.clear();
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delim) {
      finish();
    } else {
      field.push_back(c);
    }
  }
  if (!line.empty()) finish();
  return columns;
}

std::string ReadText(std::string_view head, std::string_view sniffed, std::string_view claimed,
                     size_t limit, Attributes& attrs) {
  std::string_view kind = sniffed == "text/plain" && IsTextLike(claimed) ? claimed : sniffed;
  if (kind == "application/json" || (kind.size() > 5 && kind.substr(kind.size() - 5) == "+json")) {
    auto keys = JsonTopLevelKeys(head);
    if (!keys.empty()) attrs.Set("json.keys", Join(keys));
  } else if (kind == "text/csv" || kind == "application/csv" ||
             kind == "text/tab-separated-values") {
    auto columns = CsvColumns(head, kind == "text/tab-separated-values");
    if (!columns.empty()) attrs.Set("csv.columns", Join(columns));
  }
  if (kind == "text/html" || kind == "application/xhtml+xml") {
    // Markup is most of a page: strip more than limit bytes to fill limit with text.
    std::string stripped = StripHtml(ToUtf8(head.substr(0, 4 * limit)));
    return TruncateUtf8(stripped, limit);
  }
  return TruncateUtf8(ToUtf8(head.substr(0, limit + 4)), limit);
}

}  // namespace kumo::metadata
