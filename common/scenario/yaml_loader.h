// Copyright 2026 The Barrage Authors.
//
// Loads a scenario file (YAML) into a validated Scenario. This and
// scenario_fields.cc are the only places that know YAML; yaml-cpp exceptions
// never escape them.
//
// Every problem found is reported, not just the first: the error Status is
// InvalidArgument and its message holds one line per problem, sorted by
// position, each as
//   FILE:LINE:COLUMN: FIELD.PATH: what is wrong
// e.g. "burst.yaml:12:15: stages[2].duration: missing unit (write 10s, 5m)".
// Unknown keys, duplicate keys (which yaml-cpp 0.7 would silently accept),
// values without units and plans that schedule nothing are errors.
#ifndef BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_
#define BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "common/scenario/scenario.h"

namespace barrage {

// `filename` is only used in messages.
absl::StatusOr<Scenario> LoadScenarioYaml(absl::string_view text,
                                          absl::string_view filename);

// Reads `path` and loads it; an unreadable file is NotFound/InvalidArgument.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_
