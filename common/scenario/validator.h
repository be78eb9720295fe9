// Copyright 2026 The Barrage Authors.
//
// The scenario rule set: every semantic rule and limit a Scenario must meet
// before anything plans or runs it. It is the one place these rules live.
// LoadScenarioYaml (the CLI) parses YAML and then calls it; ScenarioFromProto
// (the controller and each agent) decodes the wire form and then calls it. So
// a file `barrage validate` accepts is accepted by the controller, and both
// refuse a bad one with the same words.
//
// Syntax is not checked here: YAML structure, unknown or duplicate keys,
// value types and units mean nothing on a Scenario and stay in the loader.
//
// A problem names its field by the path a user writes in the scenario file,
// "stages[2].duration", "requests[0].expect.status[1]", "thresholds[0].below",
// and says what is wrong without the value's position (the loader adds
// FILE:LINE:COLUMN). Values a request inherits from `defaults` are checked in
// the request (and in `defaults`).
//
// Thread safety: pure functions of their arguments.
#ifndef BARRAGE_COMMON_SCENARIO_VALIDATOR_H_
#define BARRAGE_COMMON_SCENARIO_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/scenario/rational.h"
#include "common/scenario/scenario.h"

namespace barrage {

// The limits a scenario must stay within. The defaults are the contract the
// CLI, controller and agents share (README "Scenario file"); tests may
// tighten them.
struct ScenarioLimits {
  // Requests per scenario. Every request name is a label on the per-request
  // series of the controller's /metrics (about 49 series each): 1,000
  // requests make ~49k series and a ~5.5 MB scrape; 10,000 would make 490k.
  int max_requests = 1'000;
  // Stages per scenario.
  int max_stages = 10'000;
  // Thresholds per scenario (each one is judged every interval).
  int max_thresholds = 1'000;
  // Headers per request, defaults included.
  int max_headers = 100;
  // Bytes of one request's body. The file itself is at most 4 MiB.
  size_t max_body_bytes = size_t{1} << 20;
  // Characters of the scenario's name and of a request's name.
  size_t max_name_chars = 128;
  size_t max_request_name_chars = 64;
  // A request's weight is 1..max_weight.
  int64_t max_weight = 1'000'000;
  // Virtual users at any point of a VU stage: 0..max_vus.
  int64_t max_vus = 1'000'000;
  // Arrival rate of a rate stage, requests per second, and the finest
  // fraction a rate may have (3,600,000 = 1/h written with 3 decimals); both
  // keep the exact schedule inside 128-bit arithmetic.
  Rational max_rate = Rational::FromInt(10'000'000);
  int64_t max_rate_denominator = 3'600'000;
  // Length of one stage.
  absl::Duration max_stage_duration = absl::Hours(24 * 31);
  // agents.min is 1..max_agents.
  int max_agents = 10'000;
  // Largest threshold limit in its unit (microseconds, fraction or /s).
  double max_threshold_limit = 1e15;
  // Bytes of defaults.tls.ca's PEM (it travels in every StartRun).
  size_t max_ca_pem_bytes = size_t{64} << 10;
  // Pairs in agents.select.labels.
  int max_select_labels = 32;
  // defaults.http (HTTP/2): connections per agent worker, 1..this, and
  // concurrent streams per connection, 1..this.
  int max_h2_connections = 1'000;
  int max_h2_streams = 10'000;
  // Flows per scenario, steps per flow, captures and checks per step, and
  // data sources per scenario (each source travels to every agent).
  int max_flows = 64;
  int max_steps_per_flow = 64;
  int max_captures_per_step = 32;
  int max_checks_per_step = 32;
  int max_data_sources = 16;
  // A network profile's latency and jitter.
  absl::Duration max_network_latency = absl::Seconds(60);
};

// One broken rule: "stages[2].duration" and "must be longer than zero".
struct ScenarioProblem {
  std::string path;
  std::string message;
};

// Every rule `scenario` breaks, in field order; empty when it is valid.
std::vector<ScenarioProblem> FindScenarioProblems(
    const Scenario& scenario, const ScenarioLimits& limits = {});

// OK, or InvalidArgument holding FormatScenarioProblems(problems).
absl::Status ValidateScenario(const Scenario& scenario,
                              const ScenarioLimits& limits = {});

// OK when `problems` is empty, else InvalidArgument with one
// "path: message" line each (the first 25, then "... and N more").
absl::Status ScenarioProblemsStatus(
    const std::vector<ScenarioProblem>& problems);

// True when `path` is `field` or a part of it: "stages[2].rate" lies within
// "stages[2]" and "stages", not within "stages[20]". Used to drop the rules
// a value breaks only because it could not be read at all.
bool PathIsWithin(absl::string_view path, absl::string_view field);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_VALIDATOR_H_
