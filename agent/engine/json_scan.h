// Copyright 2026 The Barrage Authors.
//
// ScanJson: finds the value a JsonPath (common/scenario/json_path.h) names
// in a JSON text, for flow captures and checks on a kept response body. It
// walks the text once, skipping what the path does not enter, and builds
// nothing: no document tree, no allocation once `scratch` has grown to the
// largest escaped string seen.
//
// The value comes back as text: a string unescaped (a view into `body` when
// it has no escapes, else into `scratch`), a number, true, false or null as
// written, an object or array as its raw JSON text. nullopt when the path
// names nothing (a missing field, an index past the end, a part that meets
// a value of the wrong type) or the text is not JSON where the walk goes.
//
// Thread safety: a pure function; `scratch` belongs to the caller.
#ifndef BARRAGE_AGENT_ENGINE_JSON_SCAN_H_
#define BARRAGE_AGENT_ENGINE_JSON_SCAN_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/scenario/json_path.h"

namespace barrage {

// The result views `body` or `scratch`: valid while both are unchanged.
std::optional<absl::string_view> ScanJson(absl::string_view body, const JsonPath& path,
                                          std::string& scratch);

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_JSON_SCAN_H_
