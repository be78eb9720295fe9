// Copyright 2026 The Barrage Authors.
#include "common/scenario/json_path.h"

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

bool IsFieldChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

absl::Status Error(size_t at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("at byte ", at, ": ", what));
}

}  // namespace

absl::StatusOr<JsonPath> ParseJsonPath(absl::string_view text) {
  if (text.empty() || text[0] != '$') return Error(0, "a JSON path starts with '$'");
  JsonPath path;
  size_t i = 1;
  while (i < text.size()) {
    JsonPathPart part;
    if (text[i] == '.') {
      const size_t start = ++i;
      while (i < text.size() && IsFieldChar(text[i])) ++i;
      if (i == start) return Error(start, "expected a field name after '.'");
      part.field = std::string(text.substr(start, i - start));
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        const char quote = text[i++];
        const size_t start = i;
        while (i < text.size() && text[i] != quote) ++i;
        if (i >= text.size()) return Error(start - 1, "unterminated quoted field name");
        part.field = std::string(text.substr(start, i - start));
        ++i;  // the quote
      } else {
        const size_t start = i;
        int64_t value = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
          if (value > (int64_t{1} << 40)) return Error(start, "index too large");
          value = value * 10 + (text[i] - '0');
          ++i;
        }
        if (i == start) return Error(start, "expected an index (0, 1, ...) or a quoted name");
        part.is_index = true;
        part.index = value;
      }
      if (i >= text.size() || text[i] != ']') return Error(i, "expected ']'");
      ++i;
    } else {
      return Error(i, "expected '.' or '['");
    }
    path.parts.push_back(std::move(part));
  }
  return path;
}

}  // namespace barrage
