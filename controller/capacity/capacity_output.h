// Copyright 2026 The Barrage Authors.
//
// The outputs of `barrage capacity` (README "Capacity planning"): the live
// line per step, the final text and the versioned JSON of --out json=F:
//
//   {"version": 1, "model": "rate", "capacity_rps": 398, "capacity_load": 398,
//    "interval_rps": [398, 403], "limited_by": "service", "stopped_by": "resolution",
//    "advice": "...",                       (generator-bound only)
//    "slo": {"text": "p95<50ms", "limits": [{"metric": "p95", "limit_ms": 50}]},
//    "knee": {"rps": 403, "before_rps": 398},   (null when none)
//    "steps": [STEP...], "confirmation": STEP (null when none),
//    "usl": null, "projection": {...}, "baseline": {...}, "bottleneck": {...},
//    "resources": [...]}
//   (the last four only when their hooks are set: capacity_analysis.h)
//   STEP: {"step", "load", "offered_rps", "achieved_rps", "vus", "p50_ms",
//          "p95_ms", "p99_ms", "p95_lower_ms", "p95_upper_ms", "p99_upper_ms",
//          "error_rate", "error_rate_upper", "measured_s", "monitors":
//          {NAME: the query's mean over the step...} ({} without monitor
//          samples), "verdict", "reason", "run_ids"}
// capacity_rps is null when no capacity was found (the first step failed).
//
// Hooks: the USL fit, the growth projection, the bottleneck attribution and
// the resource model (usl_fit.h, projection.h, bottleneck.h,
// resource_model.h) are written by their own modules through CapacityHooks;
// unset, "usl" is null and the others are left out.
//
// Monitor values (a step's monitor_means) are shown with 3 significant
// digits ("0.0101", "3.52", "1234"): in the step line after the errors
// ("  cpu 3.52  in_service 3.9"), and in the table as one column per query
// any step sampled, named by the query, between ERRORS and VERDICT ("-" for
// a step without that query's samples); none sampled: no extra columns.
//
// Pure functions.
#ifndef BARRAGE_CONTROLLER_CAPACITY_CAPACITY_OUTPUT_H_
#define BARRAGE_CONTROLLER_CAPACITY_CAPACITY_OUTPUT_H_

#include <functional>
#include <string>

#include "common/util/json_writer.h"
#include "controller/capacity/search.h"
#include "controller/capacity/step_verdict.h"

namespace barrage {

// HOOKS, filled by the modules that analyse the steps. A JSON writer writes
// one value (the caller has written its key); unset: see the file comment.
struct CapacityHooks {
  std::function<void(JsonWriter&)> usl_json;         // "usl"
  std::function<void(JsonWriter&)> projection_json;  // "projection"
  std::function<void(JsonWriter&)> bottleneck_json;  // "bottleneck"
  std::function<void(JsonWriter&)> baseline_json;    // "baseline"
  std::function<void(JsonWriter&)> resources_json;   // "resources"
  std::string text;  // appended to the text output as given ("" none)
};

// One line, for a step whose verdict is final: "step 3 rate 400/s achieved
// 399.8/s p50 10.2 ms p95 12.1 ms [11.8, 12.6] p99 ... errors 0.00%
// (<= 0.10%) cpu 3.52 PASS (1 run)", and the reason when it did not pass.
std::string StepProgressLine(const StepRecord& step);

// The answer, the confirmation, the knee and the step table (with its
// monitor columns), then hooks.text.
std::string CapacityText(const CapacityResult& result, const Slo& slo,
                         const CapacityHooks& hooks = CapacityHooks());

std::string CapacityJson(const CapacityResult& result, const Slo& slo,
                         const CapacityHooks& hooks = CapacityHooks());

// kExitPassed when a capacity was found, kExitThresholdFailed (99) otherwise.
int CapacityExitCode(const CapacityResult& result);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_CAPACITY_OUTPUT_H_
