// Copyright 2026 The Barrage Authors.
//
// The verdict on one step of `barrage capacity` (search.h): did the service
// sustain the step's load within the SLO, with the evidence of the step's
// measured intervals (its warm-up discarded), pooled over the step's runs
// when it was extended?
//
// The SLO (`--slo 'p95<200ms,error_rate<1%'`) is a list of limits, each
// "METRIC<LIMIT": p50, p95 or p99 of the ok response times (a duration:
// 200ms, 1.5s, 800us) or error_rate (a fraction: 1% or 0.01). Every limit is
// strict ("under").
//
// The statistics come from the circular moving-block bootstrap that compare
// uses (controller/report/bootstrap.h): `resamples` resamples of the pooled
// intervals in blocks of sqrt(intervals) intervals (rounded, at least 1),
// the RNG seeded with `seed`; a bound is the percentile interval at
// `confidence` (two-sided, so the upper bound is a 97.5% one-sided bound at
// 0.95).
//   PASS       every SLO percentile's upper bound is under its limit, the
//              error rate's upper bound is under its limit, achieved/offered
//              >= min_achieved_ratio (open model), and no agent was
//              saturated, dropped arrivals, or had its in-flight budget or
//              its VUs capped;
//   FAIL       some lower bound is at or over its limit (the service's);
//   GENERATOR  the generator, not the service, failed the step: an agent was
//              saturated or dropped arrivals (whatever the latency says:
//              it cannot be trusted), or its in-flight budget or VUs were
//              capped, or achieved/offered fell short, while no limit failed;
//              `advice` says what to add;
//   UNDECIDED  otherwise (an upper bound at or over its limit, or a shortfall
//              of achieved/offered while a latency limit is not clearly
//              met): the search extends the step rather than guessing.
//
// Pure functions of their inputs.
#ifndef BARRAGE_CONTROLLER_CAPACITY_STEP_VERDICT_H_
#define BARRAGE_CONTROLLER_CAPACITY_STEP_VERDICT_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "controller/report/time_series.h"

namespace barrage {

enum class SloMetric { kP50, kP95, kP99, kErrorRate };
const char* SloMetricName(SloMetric metric);  // "p50", ..., "error_rate"

struct SloLimit {
  SloMetric metric = SloMetric::kP95;
  double limit = 0;  // microseconds for percentiles; a fraction (0..1) for error_rate
};

struct Slo {
  std::vector<SloLimit> limits;  // as given, each metric at most once
  std::string text;              // as given, for the output
};

// Parses `--slo`'s value. InvalidArgument naming the item: "'p95<' has no
// limit", "'p97<5ms': unknown metric 'p97' (p50, p95, p99 or error_rate)",
// "'p95=5ms' has no '<'", "'p95<fast': ...", "p95 is given twice", "no
// limits". The message does not name the flag (the caller prefixes it).
absl::StatusOr<Slo> ParseSlo(absl::string_view text);

// What one agent's generator reported over a step's runs (the result JSON's
// "agents": counts summed over the step's runs).
struct GeneratorLoad {
  std::string agent;
  uint64_t saturated_intervals = 0;
  uint64_t dropped = 0;
  uint64_t in_flight_capped_intervals = 0;
  uint64_t vus_capped_intervals = 0;
  double achieved_rps = 0;  // its results over the measured time (for the advice)
};

// One step's evidence: the measured intervals of its runs, pooled (the
// runs' intervals one after another, so the bootstrap resamples them as one
// run), and its agents.
struct StepEvidence {
  RunSeries measured;
  std::vector<GeneratorLoad> agents;
};

enum class StepVerdict { kPass, kFail, kUndecided, kGenerator };
const char* StepVerdictName(StepVerdict verdict);  // "PASS", "FAIL", "UNDECIDED", "GENERATOR-BOUND"

struct VerdictOptions {
  double confidence = 0.95;
  int resamples = 400;
  uint64_t seed = 1;
  double min_achieved_ratio = 0.99;
};

// A statistic with its bootstrap interval.
struct Bounded {
  double value = 0;
  double lo = 0;
  double hi = 0;
};

struct StepJudgement {
  StepVerdict verdict = StepVerdict::kUndecided;
  double offered_rps = 0;   // the plan's, over the measured intervals; 0 in VU steps
  double achieved_rps = 0;  // results per second over them
  int64_t vus = 0;          // the largest interval's active VUs
  uint64_t requests = 0;
  Bounded p50_ms, p95_ms, p99_ms;
  Bounded error_rate;       // a fraction
  double mean_ms = 0;       // mean ok response time (for Little's law); 0 without ok results
  // Each monitor query's mean over the measured intervals that sampled it
  // (series "monitor" names); empty when the runs had no monitor samples.
  std::map<std::string, double> monitor_means;
  double measured_s = 0;
  // Why it is not PASS, in a few words ("p95 98.2 ms [91.0, 104.5] >= 50
  // ms"); "" when it passed.
  std::string reason;
  // GENERATOR only: what to add ("add agents or workers: agent a1 was
  // saturated at 812/s").
  std::string advice;
};

StepJudgement JudgeStep(const StepEvidence& evidence, const Slo& slo,
                        const VerdictOptions& options);

// The evidence of one run's result JSON (README "Result JSON"): its series'
// intervals starting at or after `skip_s` (the warm-up) and before `end_s`
// (the plan's end: the interval after it holds only stragglers), and its
// agents' counters (which cover the whole run: a generator in trouble
// during the warm-up is in trouble). InvalidArgument for a bad result or
// series; NotFound for a result without a series.
absl::StatusOr<StepEvidence> EvidenceFromResultJson(
    const std::string& result_json, double skip_s,
    double end_s = std::numeric_limits<double>::infinity());

// Appends `more` to `pooled`: its intervals after pooled's last (shifted
// in time), its agents' counters added to the same agent's. The runs must
// record the same requests (InvalidArgument otherwise).
absl::Status PoolEvidence(const StepEvidence& more, StepEvidence& pooled);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_STEP_VERDICT_H_
