// Copyright 2026 The Barrage Authors.
//
// `barrage capacity FILE --slo 'p95<200ms,error_rate<1%' [--start R]
// [--max R] [--step 30s] [--warmup 5s] [--model rate|vus] [--deadline 10m]
// [--local N | --controller ADDR] [--out json=F] [--out html=F]
// [--growth G --peak R] [--baseline R [--times K]]`: the statistical capacity
// search of controller/capacity/search.h across the whole fleet (README
// "Capacity planning"). Each step is a real run of the file's scenario,
// submitted as `barrage run` submits it (remote_run.h, or local_run.h's
// fleet for --local, started once for the whole search), with its stages
// replaced by StepScenario's and its thresholds by the SLO; then the USL,
// projection, baseline and bottleneck of capacity_analysis.h; each --out
// (the JSON, or its page: controller/report/capacity_html.h) is written
// through a temporary file renamed over it. Exit codes:
// 0 a capacity was found, 99 none (the first step did not pass), 2 bad
// usage, 3 a step could not start (controller unreachable, too few agents),
// 4 interrupted, 1 any other failed step.
#ifndef BARRAGE_CONTROLLER_CLI_CAPACITY_COMMAND_H_
#define BARRAGE_CONTROLLER_CLI_CAPACITY_COMMAND_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/scenario/scenario.h"
#include "controller/capacity/search.h"

namespace barrage {

// `base` with its stages replaced by a warm-up stage (`warmup: true`,
// left out when `warmup` is zero) and a measured stage of `step`, both at
// `load` (a constant rate, or constant VUs keeping the think time of the
// file's first VU stage), and without thresholds (the SLO judges). Checked
// as a scenario file is (InvalidArgument with the validator's message).
absl::StatusOr<Scenario> StepScenario(const Scenario& base, const StepLoad& load,
                                      absl::Duration warmup, absl::Duration step);

// `interrupt` counts Ctrl-C presses: the current step is stopped and the
// search ends (exit 4).
int RunCapacity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const std::atomic<int>* interrupt);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_CAPACITY_COMMAND_H_
