// Copyright 2026 The Barrage Authors.
//
// JSON paths as flows use them in captures and checks: `$` followed by
// `.name`, `["name"]` or `[index]` parts, e.g. "$.items[0].id",
// "$.token", "$['odd key']". No wildcards, filters or recursion: a path
// names one value. Parsed once per run (the validator checks the syntax,
// the agent's engine walks a response body with the parts).
//
// Thread safety: value types.
#ifndef BARRAGE_COMMON_SCENARIO_JSON_PATH_H_
#define BARRAGE_COMMON_SCENARIO_JSON_PATH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

struct JsonPathPart {
  bool is_index = false;
  std::string field;  // !is_index
  int64_t index = 0;  // is_index; >= 0
};

struct JsonPath {
  std::vector<JsonPathPart> parts;  // empty: the whole document ("$")
};

// InvalidArgument naming the byte: "at byte 7: expected '.' or '['".
absl::StatusOr<JsonPath> ParseJsonPath(absl::string_view text);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_JSON_PATH_H_
