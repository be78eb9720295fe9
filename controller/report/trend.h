// Copyright 2026 The Barrage Authors.
//
// A scenario's run history and where it changed (`barrage trend`, the HTML
// report's trend section). Pure functions; the randomness is seeded, so the
// same history and options give the same answer every time.
//
// Change points: E-divisive (Matteson & James 2014, "A Nonparametric
// Approach for Multiple Change Point Analysis of Multivariate Data"; the
// method MongoDB's performance CI uses) on one metric's sequence:
//   1. In a segment, find the split tau maximizing the energy statistic
//        Q(tau) = (n m / (n + m)) * (2/(n m) sum|x_i - y_j|
//                 - sum_{i<k}|x_i - x_k| / C(n,2) - sum_{j<l}|y_j - y_l| / C(m,2))
//      with X the n values before tau and Y the m from tau on, both at
//      least `min_segment` long.
//   2. Permutation test: shuffle the segment `permutations` times, take each
//      shuffle's maximum Q; p = (1 + #{shuffled max >= observed}) /
//      (permutations + 1). Accept tau when p < alpha.
//   3. Recurse on both sides of an accepted split.
// AnalyzeTrend applies it per metric, to log(latency) for p50/p95/p99 (so
// a change is judged relative to the level) and to the error rate as is,
// and keeps a change only when it is large enough to matter: the medians
// of the segments either side differ by at least `min_latency_change`
// (relative, 5%) or `min_error_rate_change` (absolute, 0.5 points), and by
// at least `min_noise_multiple` (2) times the run-to-run noise (a robust
// standard deviation from successive differences: 1.4826 x the median of
// |x[i] - x[i-1]|, over sqrt 2; a few steps barely move it). So run-to-run noise, however significant
// a split of it looks, does not flag.
#ifndef BARRAGE_CONTROLLER_REPORT_TREND_H_
#define BARRAGE_CONTROLLER_REPORT_TREND_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "controller/report/html_report.h"

namespace barrage {

struct ChangePointOptions {
  int permutations = 199;
  double alpha = 0.05;     // accept a split when its p-value is below this
  size_t min_segment = 3;  // values on each side of a split, at least
  uint64_t seed = 1;
};

// The indices (ascending, in 1..x.size()-1) where a new segment of `x`
// begins, found by E-divisive as the file comment says. Cost: about
// permutations * n^2 per accepted split; n is a run history (<= 1000).
std::vector<size_t> EDivisive(const std::vector<double>& x, const ChangePointOptions& options);

// One stored run, as the store lists it (result_store.h).
struct TrendRun {
  std::string run_id;
  std::string started_at;  // RFC 3339
  std::string status;      // passed | failed | aborted | error | running | interrupted
  double p50_ms = 0;       // whole run, all requests
  double p95_ms = 0;
  double p99_ms = 0;
  double error_rate = 0;   // fraction, 0..1
};

enum class TrendMetric { kP50, kP95, kP99, kErrorRate };
// "p50", "p95", "p99", "error_rate".
absl::string_view TrendMetricName(TrendMetric metric);

// A change of one metric, beginning at one run.
struct TrendChange {
  TrendMetric metric = TrendMetric::kP50;
  size_t index = 0;        // into TrendReport::runs: the first run after the change
  std::string run_id;      // runs[index].run_id
  double before = 0;       // median of the segment before (ms, or a fraction)
  double after = 0;        // median of the segment from `index` on
  double p_value = 1;
};

struct TrendOptions {
  size_t last = 30;                    // use the newest this many passed/failed runs
  size_t min_runs = 6;                 // fewer: "not enough runs", no search
  double min_latency_change = 0.05;    // |after / before - 1|, latency medians
  double min_error_rate_change = 0.005;  // |after - before|, error-rate medians
  // And the medians' shift (of log latency, or of the error rate) is at
  // least this many times the run-to-run noise.
  double min_noise_multiple = 2;
  ChangePointOptions change_points;
};

struct TrendReport {
  std::vector<TrendRun> runs;  // the runs used (passed/failed), oldest first
  // Runs of other statuses (aborted, error, running, interrupted) left out
  // among the history the used runs span (all of them when fewer than
  // `last` runs were usable).
  size_t skipped = 0;
  bool enough_runs = false;    // runs.size() >= min_runs: changes were searched
  std::vector<TrendChange> changes;  // by index, then metric (p50, p95, p99, error rate)
};

// `history` newest first, as the store lists a scenario's runs.
TrendReport AnalyzeTrend(const std::vector<TrendRun>& history, const TrendOptions& options);

// The report's runs as the HTML report's trend points (oldest first), each
// marked where a change of any metric begins.
std::vector<TrendPoint> TrendPoints(const TrendReport& report);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_TREND_H_
