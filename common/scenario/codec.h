// Copyright 2026 The Barrage Authors.
//
// Scenario <-> barrage.v1.ScenarioSpec. The CLI validates YAML and sends the
// proto; the controller and agents rebuild the Scenario from it and check it
// again (a message from the network is never trusted) with the same rule set
// (validator.h): FromProto refuses what LoadScenarioYaml would, with the same
// "path: message" lines, the paths being the scenario file's
// ("stages[0].duration", not "duration_ms").
#ifndef BARRAGE_COMMON_SCENARIO_CODEC_H_
#define BARRAGE_COMMON_SCENARIO_CODEC_H_

#include "absl/status/statusor.h"
#include "barrage/v1/scenario.pb.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"

namespace barrage {

v1::ScenarioSpec ScenarioToProto(const Scenario& scenario);
// Pure. The error is InvalidArgument, one "path: message" line per problem.
absl::StatusOr<Scenario> ScenarioFromProto(const v1::ScenarioSpec& spec,
                                           const ScenarioLimits& limits = {});

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_CODEC_H_
