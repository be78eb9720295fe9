// Copyright 2026 The Barrage Authors.
//
// Loads a scenario file (YAML) into a validated Scenario. This, fields.cc
// and the section readers it lends its reporting to (monitor_yaml.h) are
// the only places that know YAML; yaml-cpp exceptions never escape them. The loader checks syntax: YAML structure, unknown and
// duplicate keys (which yaml-cpp 0.7 would silently accept), value types and
// units. Every rule on the values is ValidateScenario's (validator.h), the
// same the controller and agents apply to the wire form, reported here at
// the position of the value that breaks it.
//
// Every problem found is reported, not just the first: the error Status is
// InvalidArgument and its message holds one line per problem, sorted by
// position, each as
//   FILE:LINE:COLUMN: FIELD.PATH: what is wrong
// e.g. "burst.yaml:12:15: stages[2].duration: missing unit (write 10s, 5m)".
// A value inherited from `defaults` is reported once, at `defaults`.
#ifndef BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_
#define BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"

namespace barrage {

// `filename` is only used in messages.
absl::StatusOr<Scenario> LoadScenarioYaml(absl::string_view text,
                                          absl::string_view filename,
                                          const ScenarioLimits& limits = {});

// Reads `path` (at most 4 MiB) and loads it; an unreadable file is
// NotFound/InvalidArgument.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path,
                                          const ScenarioLimits& limits = {});

// A step between parsing and validation: it may fill in what the rules
// check (common/data/data_files.h reads the data files and sets their
// columns); its problems are reported with the rules' problems, at their
// paths' lines.
using ScenarioStep = std::function<std::vector<ScenarioProblem>(Scenario&)>;
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path,
                                          const ScenarioLimits& limits,
                                          const ScenarioStep& after_parse);

// The syntax half of LoadScenarioYaml alone: the Scenario as written, which
// may break any rule of validator.h. For tests and tools that need such a
// Scenario (to see what the controller says of it); runs use
// LoadScenarioYaml.
absl::StatusOr<Scenario> ParseScenarioYaml(absl::string_view text,
                                           absl::string_view filename);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_YAML_LOADER_H_
