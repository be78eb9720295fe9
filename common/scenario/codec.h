// Copyright 2026 The Barrage Authors.
//
// Scenario <-> barrage.v1.ScenarioSpec. The CLI validates YAML and sends the
// proto; the controller and agents rebuild the Scenario from it and check it
// again (a message from the network is never trusted): FromProto rejects
// what LoadScenarioYaml would, naming the field.
#ifndef BARRAGE_COMMON_SCENARIO_CODEC_H_
#define BARRAGE_COMMON_SCENARIO_CODEC_H_

#include "absl/status/statusor.h"
#include "barrage/v1/scenario.pb.h"
#include "common/scenario/scenario.h"

namespace barrage {

v1::ScenarioSpec ScenarioToProto(const Scenario& scenario);
absl::StatusOr<Scenario> ScenarioFromProto(const v1::ScenarioSpec& spec);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_CODEC_H_
