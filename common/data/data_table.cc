// Copyright 2026 The Barrage Authors.
//
// Both parsers read the file's buffer and write the unescaped fields back
// into the same buffer, behind the read position: a record is first copied
// into a scratch string (it never grows when unescaped), then written at
// the write position, which is at or before the record's start. So the
// table needs no second copy of the file.
#include "common/data/data_table.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace barrage {
namespace {

constexpr uint64_t kMax32 = uint64_t{1} << 32;

absl::Status LineError(absl::string_view name, int64_t line,
                       absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ":", line, ": ", what));
}

absl::Status CheckColumns(absl::string_view name,
                          const std::vector<std::string>& columns) {
  absl::flat_hash_map<absl::string_view, size_t> seen;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].empty()) {
      return LineError(name, 1, absl::StrCat("column ", i + 1, " has no name"));
    }
    if (!seen.emplace(columns[i], i).second) {
      return LineError(name, 1,
                       absl::StrCat("column '", columns[i], "' appears twice"));
    }
  }
  return absl::OkStatus();
}

// Reads one CSV record starting at `*pos`; leaves `*pos` after its line end
// and `*line` on the next record's line. The fields go to `scratch`, their
// ends to `ends`.
absl::Status ReadCsvRecord(absl::string_view name, absl::string_view data,
                           size_t* pos, int64_t* line, std::string* scratch,
                           std::vector<size_t>* ends) {
  scratch->clear();
  ends->clear();
  const size_t n = data.size();
  size_t p = *pos;
  auto at_line_end = [&](size_t i) {
    return i >= n || data[i] == '\n' ||
           (data[i] == '\r' && (i + 1 == n || data[i + 1] == '\n'));
  };
  while (true) {
    if (p < n && data[p] == '"') {
      const int64_t quote_line = *line;
      ++p;
      while (true) {
        if (p >= n) return LineError(name, quote_line, "quoted field is not closed");
        const char c = data[p];
        if (c == '"') {
          if (p + 1 < n && data[p + 1] == '"') {
            scratch->push_back('"');
            p += 2;
            continue;
          }
          ++p;
          break;
        }
        if (c == '\n') ++*line;
        scratch->push_back(c);
        ++p;
      }
      if (!at_line_end(p) && data[p] != ',') {
        return LineError(name, *line,
                         "text after a closing quote (write \"\" for a quote "
                         "inside a quoted field)");
      }
    } else {
      while (!at_line_end(p) && data[p] != ',') scratch->push_back(data[p++]);
    }
    ends->push_back(scratch->size());
    if (p >= n) break;
    if (data[p] == ',') {
      ++p;
      continue;
    }
    if (data[p] == '\r') ++p;
    if (p < n && data[p] == '\n') {
      ++p;
      ++*line;
    }
    break;
  }
  *pos = p;
  return absl::OkStatus();
}

// --- JSON lines ---

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A cursor over one line of JSON; each method returns false on a syntax
// error, leaving `i` where it was found.
struct JsonCursor {
  absl::string_view s;
  size_t i = 0;

  void SkipSpace() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  bool Hex4(uint32_t* v) {
    if (i + 4 > s.size()) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i++];
      *v <<= 4;
      if (c >= '0' && c <= '9') *v |= c - '0';
      else if (c >= 'a' && c <= 'f') *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') *v |= c - 'A' + 10;
      else return false;
    }
    return true;
  }
  // At the opening quote.
  bool String(std::string* out) {
    out->clear();
    if (!Eat('"')) return false;
    while (i < s.size()) {
      const char c = s[i++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (i >= s.size()) return false;
      const char e = s[i++];
      switch (e) {
        case '"': case '\\': case '/': out->push_back(e); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t low = 0;
            if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return false;
            i += 2;
            if (!Hex4(&low) || low < 0xDC00 || low >= 0xE000) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return false;
          }
          AppendUtf8(cp, out);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool Literal(absl::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  }
  bool Number(std::string* out) {
    const size_t start = i;
    if (i < s.size() && s[i] == '-') ++i;
    const size_t digits = i;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
    if (i == digits) return false;
    if (i < s.size() && s[i] == '.') {
      const size_t frac = ++i;
      while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
      if (i == frac) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      const size_t exp = i;
      while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
      if (i == exp) return false;
    }
    out->assign(s.data() + start, i - start);
    return true;
  }
};

}  // namespace

// Writes records into the table's buffer behind the read position.
class DataTableBuilder {
 public:
  explicit DataTableBuilder(std::string content) {
    table_.buffer_ = std::move(content);
    wide_ = table_.buffer_.size() >= kMax32;
  }
  absl::string_view data() const { return table_.buffer_; }
  std::vector<std::string>& columns() { return table_.columns_; }

  void Reserve(size_t fields) {
    if (wide_) table_.offsets64_.reserve(fields + 1);
    else table_.offsets32_.reserve(fields + 1);
  }
  // Appends one row's fields (their concatenation in `bytes`, `ends` each
  // one's end), which must not be longer than the raw text already read.
  void AddRow(absl::string_view bytes, const std::vector<size_t>& ends) {
    size_t begin = 0;
    for (size_t end : ends) {
      Push(write_ + begin);
      begin = end;
    }
    if (!bytes.empty()) std::memcpy(&table_.buffer_[write_], bytes.data(), bytes.size());
    write_ += bytes.size();
    ++table_.rows_;
  }
  DataTable Finish() {
    Push(write_);
    table_.buffer_.resize(write_);
    return std::move(table_);
  }

 private:
  void Push(size_t offset) {
    if (wide_) table_.offsets64_.push_back(offset);
    else table_.offsets32_.push_back(static_cast<uint32_t>(offset));
  }
  DataTable table_;
  bool wide_ = false;
  size_t write_ = 0;
};

namespace {

absl::StatusOr<DataTable> ParseCsv(absl::string_view name,
                                   DataTableBuilder& builder) {
  const absl::string_view data = builder.data();
  size_t pos = absl::StartsWith(data, "\xEF\xBB\xBF") ? 3 : 0;
  if (absl::StripAsciiWhitespace(data.substr(pos)).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": empty file"));
  }
  int64_t line = 1;
  std::string scratch;
  std::vector<size_t> ends;
  if (absl::Status s = ReadCsvRecord(name, data, &pos, &line, &scratch, &ends);
      !s.ok()) {
    return s;
  }
  std::vector<std::string>& columns = builder.columns();
  size_t begin = 0;
  for (size_t end : ends) {
    columns.emplace_back(scratch.substr(begin, end - begin));
    begin = end;
  }
  if (absl::Status s = CheckColumns(name, columns); !s.ok()) return s;
  const size_t lines = std::count(data.begin() + pos, data.end(), '\n') + 1;
  builder.Reserve(lines * columns.size());
  while (pos < data.size()) {
    const int64_t record_line = line;
    if (absl::Status s = ReadCsvRecord(name, data, &pos, &line, &scratch, &ends);
        !s.ok()) {
      return s;
    }
    if (ends.size() != columns.size()) {
      return LineError(name, record_line,
                       absl::StrFormat("row has %d fields, the header has %d",
                                       ends.size(), columns.size()));
    }
    builder.AddRow(scratch, ends);
  }
  return builder.Finish();
}

absl::StatusOr<DataTable> ParseJsonLines(absl::string_view name,
                                         DataTableBuilder& builder) {
  const absl::string_view data = builder.data();
  std::vector<std::string>& columns = builder.columns();
  absl::flat_hash_map<std::string, size_t> index;
  std::vector<std::string> values;  // by column, for the current line
  std::vector<bool> seen;
  std::string key;
  std::string value;
  std::string row;
  std::vector<size_t> ends;
  size_t pos = absl::StartsWith(data, "\xEF\xBB\xBF") ? 3 : 0;
  int64_t line = 0;
  while (pos < data.size()) {
    ++line;
    size_t eol = data.find('\n', pos);
    if (eol == absl::string_view::npos) eol = data.size();
    JsonCursor json{data.substr(pos, eol - pos)};
    pos = eol + 1;
    if (absl::StripAsciiWhitespace(json.s).empty()) continue;
    const bool first = columns.empty();
    if (!json.Eat('{')) return LineError(name, line, "not a JSON object");
    auto invalid = [&]() {
      return LineError(name, line,
                       absl::StrCat("invalid JSON at column ", json.i + 1));
    };
    seen.assign(columns.size(), false);
    if (!json.Eat('}')) {
      do {
        json.SkipSpace();
        if (!json.String(&key) || !json.Eat(':')) return invalid();
        json.SkipSpace();
        const char c = json.i < json.s.size() ? json.s[json.i] : '\0';
        bool ok = false;
        if (c == '{' || c == '[') {
          return LineError(name, line,
                           absl::StrCat("'", key, "' is not a scalar (an ",
                                        c == '{' ? "object" : "array", ")"));
        } else if (c == '"') {
          ok = json.String(&value);
        } else if (c == 't' || c == 'f') {
          value = c == 't' ? "true" : "false";
          ok = json.Literal(value);
        } else if (c == 'n') {
          value.clear();
          ok = json.Literal("null");
        } else {
          ok = json.Number(&value);
        }
        if (!ok) return invalid();
        size_t column = 0;
        if (first) {
          if (!index.emplace(key, columns.size()).second) {
            return LineError(name, line,
                             absl::StrCat("key '", key, "' appears twice"));
          }
          column = columns.size();
          columns.push_back(key);
          values.emplace_back();
          seen.push_back(false);
        } else {
          auto it = index.find(key);
          if (it == index.end()) {
            return LineError(
                name, line,
                absl::StrCat("key '", key, "' is not a column (the first line has ",
                             absl::StrJoin(columns, ", "), ")"));
          }
          column = it->second;
          if (seen[column]) {
            return LineError(name, line,
                             absl::StrCat("key '", key, "' appears twice"));
          }
        }
        seen[column] = true;
        values[column].swap(value);
      } while (json.Eat(','));
      if (!json.Eat('}')) return invalid();
    }
    json.SkipSpace();
    if (json.i != json.s.size()) {
      return LineError(name, line, "text after the JSON object");
    }
    if (columns.empty()) return LineError(name, line, "object has no keys");
    if (first) {
      builder.Reserve(static_cast<size_t>(std::count(data.begin() + pos - 1,
                                                     data.end(), '\n') + 1) *
                      columns.size());
    }
    row.clear();
    ends.clear();
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!seen[c]) {
        return LineError(name, line,
                         absl::StrCat("key '", columns[c], "' is missing"));
      }
      row += values[c];
      ends.push_back(row.size());
    }
    builder.AddRow(row, ends);
  }
  if (columns.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": empty file"));
  }
  return builder.Finish();
}

}  // namespace

absl::StatusOr<DataTable> DataTable::Parse(absl::string_view name,
                                           std::string content,
                                           DataSource::Format format) {
  DataTableBuilder builder(std::move(content));
  absl::StatusOr<DataTable> table = format == DataSource::Format::kJsonLines
                                        ? ParseJsonLines(name, builder)
                                        : ParseCsv(name, builder);
  if (table.ok() && table->rows_ == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": no rows after the header"));
  }
  return table;
}

size_t DataTable::MemoryBytes() const {
  size_t bytes = buffer_.capacity() + offsets32_.capacity() * sizeof(uint32_t) +
                 offsets64_.capacity() * sizeof(uint64_t) +
                 columns_.capacity() * sizeof(std::string);
  for (const std::string& c : columns_) bytes += c.capacity();
  return bytes;
}

}  // namespace barrage
