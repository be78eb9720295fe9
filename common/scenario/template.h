// Copyright 2026 The Barrage Authors.
//
// Templates: text with ${name} references (request paths, headers and
// bodies in flows and plain requests), parsed once per run into literal and
// reference segments so that rendering is appends into a reused buffer.
//
// A reference is ${var} (a flow variable: a capture of an earlier step) or
// ${source.column} (a data source's column, see DataSource). `$$` is a
// literal '$'; a '$' not followed by '{' or '$' is literal too. Names are
// [A-Za-z_][A-Za-z0-9_]*, columns [A-Za-z0-9_.-]+ after the first dot.
//
// Thread safety: value types.
#ifndef BARRAGE_COMMON_SCENARIO_TEMPLATE_H_
#define BARRAGE_COMMON_SCENARIO_TEMPLATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

struct TemplateSegment {
  enum class Kind { kLiteral, kVariable, kDataColumn };
  Kind kind = Kind::kLiteral;
  std::string text;    // kLiteral: the text; kVariable: the name; kDataColumn: the source
  std::string column;  // kDataColumn only
  size_t offset = 0;   // byte offset of the reference's '$' in the source text
};

struct ParsedTemplate {
  std::vector<TemplateSegment> segments;
  bool is_static() const;  // no references
};

// Parses `text`. InvalidArgument for "${" without "}", an empty or badly
// formed name, with the byte offset ("at byte 12: ...").
absl::StatusOr<ParsedTemplate> ParseTemplate(absl::string_view text);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_TEMPLATE_H_
