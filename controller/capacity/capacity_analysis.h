// Copyright 2026 The Barrage Authors.
//
// What `barrage capacity` says after its search (issue 16 items 4-6,
// README "Capacity planning"): the USL fitted to the steps (usl_fit.h), the
// growth projection and the baseline check (projection.h) and the
// bottleneck at the knee (bottleneck.h), as the CapacityHooks that
// capacity_output.h writes into the text and the JSON:
//
//   "usl": {"sigma", "kappa", "lambda", "n_star", "x_max", "intervals":
//           {"sigma": [lo, hi], "kappa", "lambda", "n_star", "x_max"},
//           "limited_by": "contention"|"coherency"|"none", "residuals": [...],
//           "r2", "points": [{"n", "x"}...]}
//          or {"error": "the USL needs at least 6 load levels; have 4 (a
//          lower --start adds levels below the knee)"};
//          n_star and x_max (and interval ends) are null when infinite;
//   "projection": {"months", "months_lo", "months_hi", "exhausted",
//                  "growth_per_month", "peak_rps", "sentence"} or {"error"};
//   "baseline": {"verdict": "yes"|"no"|"undecided", "baseline_rps",
//                "factor", "target_rps", "evidence"} or {"error"};
//   "bottleneck": {"knee_rps" (null: no knee), "resource" (null: none),
//                  "sentence"}.
//   "resources": [{"name", "per_request", "per_request_interval": [lo, hi],
//                  "base", "r2", "points", "at": {"basis": "peak"|"capacity",
//                  "rps", "value", "interval": [lo, hi], "extrapolated"}
//                  (null: no --peak and no capacity), "sentence"}...]
//                 or [{"name", "error"}] per monitor query, in the
//                 scenario's order.
// "projection" and "baseline" are left out unless asked for, "bottleneck"
// and "resources" unless the scenario has monitor queries.
//
// The resource model (resource_model.h) fits each monitor query's step
// means against the steps' achieved rates (ResourcePointsOf; at least 3
// steps with samples, else the error), so per_request is the query's unit
// per request/s (a busy-seconds rate: core-seconds per request). It is
// projected to 2x the current peak when --peak is given (the question "at
// 2x today's traffic"), else to 2x the found capacity (what doubling the
// capacity would take, scaled out): one "resource:" line per query.
//
// Pure functions; safe from any thread.
#ifndef BARRAGE_CONTROLLER_CAPACITY_CAPACITY_ANALYSIS_H_
#define BARRAGE_CONTROLLER_CAPACITY_CAPACITY_ANALYSIS_H_

#include <optional>
#include <string>
#include <vector>

#include "controller/capacity/bottleneck.h"
#include "controller/capacity/capacity_output.h"
#include "controller/capacity/resource_model.h"
#include "controller/capacity/search.h"
#include "controller/capacity/step_verdict.h"
#include "controller/capacity/usl_fit.h"

namespace barrage {

struct CapacityAnalysisOptions {
  // --growth and --peak (both or neither): compound growth per month (a
  // fraction, 0.08) and the current peak (requests/s).
  std::optional<double> monthly_growth;
  std::optional<double> peak_rps;
  // --baseline (requests/s) and --times.
  std::optional<double> baseline_rps;
  double baseline_factor = 10;
  // The scenario's monitor queries with their saturation levels; empty:
  // no bottleneck attribution.
  std::vector<MonitorLevel> monitors;
  UslFitOptions usl;
};

// The USL's points: one per search step that ran (the confirmation and
// refused steps left out), X its achieved rate, N the requests
// outstanding, X * R by Little's law (R its mean ok response time), for
// VU steps capped at the VUs: without think time that is the VUs (R
// covers the whole cycle), with think time the VUs' share not thinking.
// Steps without a positive N and X are left out.
std::vector<UslPoint> UslPointsOf(const CapacityResult& result);

// One monitor query's resource points: each search step that ran (refused
// steps and the confirmation left out) and sampled `name`, as (achieved
// rate, the query's mean over the step).
std::vector<ResourcePoint> ResourcePointsOf(const CapacityResult& result,
                                            const std::string& name);

// The hooks for `result`'s outputs (see the file comment); the text block
// holds one paragraph per analysis.
CapacityHooks AnalyseCapacity(const CapacityResult& result, const Slo& slo,
                              const CapacityAnalysisOptions& options);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_CAPACITY_ANALYSIS_H_
