// Copyright 2026 The Barrage Authors.
#include "common/scenario/template.h"

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

bool IsNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsColumnChar(char c) { return IsNameChar(c) || c == '.' || c == '-'; }

void AppendLiteral(ParsedTemplate& out, absl::string_view text) {
  if (text.empty()) return;
  if (!out.segments.empty() && out.segments.back().kind == TemplateSegment::Kind::kLiteral) {
    out.segments.back().text.append(text.data(), text.size());
    return;
  }
  TemplateSegment seg;
  seg.text = std::string(text);
  out.segments.push_back(std::move(seg));
}

}  // namespace

bool ParsedTemplate::is_static() const {
  for (const TemplateSegment& s : segments) {
    if (s.kind != TemplateSegment::Kind::kLiteral) return false;
  }
  return true;
}

absl::StatusOr<ParsedTemplate> ParseTemplate(absl::string_view text) {
  ParsedTemplate out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t dollar = text.find('$', i);
    if (dollar == absl::string_view::npos) {
      AppendLiteral(out, text.substr(i));
      break;
    }
    AppendLiteral(out, text.substr(i, dollar - i));
    if (dollar + 1 < text.size() && text[dollar + 1] == '$') {
      AppendLiteral(out, "$");
      i = dollar + 2;
      continue;
    }
    if (dollar + 1 >= text.size() || text[dollar + 1] != '{') {
      AppendLiteral(out, "$");
      i = dollar + 1;
      continue;
    }
    const size_t close = text.find('}', dollar + 2);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("at byte ", dollar, ": \"${\" without a closing \"}\""));
    }
    const absl::string_view ref = text.substr(dollar + 2, close - dollar - 2);
    if (ref.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("at byte ", dollar, ": empty ${}"));
    }
    const size_t dot = ref.find('.');
    const absl::string_view name = ref.substr(0, dot);
    bool ok = !name.empty() && IsNameStart(name[0]);
    for (char c : name) ok = ok && IsNameChar(c);
    TemplateSegment seg;
    seg.offset = dollar;
    seg.text = std::string(name);
    if (dot != absl::string_view::npos) {
      const absl::string_view column = ref.substr(dot + 1);
      ok = ok && !column.empty();
      for (char c : column) ok = ok && IsColumnChar(c);
      seg.kind = TemplateSegment::Kind::kDataColumn;
      seg.column = std::string(column);
    } else {
      seg.kind = TemplateSegment::Kind::kVariable;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "at byte ", dollar, ": \"${", ref,
          "}\" is not a variable (${name}) or a data column (${source.column})"));
    }
    out.segments.push_back(std::move(seg));
    i = close + 1;
  }
  return out;
}

}  // namespace barrage
