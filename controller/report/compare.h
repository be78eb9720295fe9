// Copyright 2026 The Barrage Authors.
//
// Compare: is the current run worse than the baseline? Two result JSONs
// (README "Result JSON", with "series") in, a CompareReport out; the
// renderers are in compare_render.h, `barrage compare` in
// controller/cli/compare_command.h. README "Comparing runs" is the user's
// side of this contract.
//
// 1. Comparability. The runs must share fingerprint.scenario_sha256,
//    fingerprint.load_sha256 and fingerprint.target, and the JSON's stages
//    (duration_s, target_rps, vus) and requests (names, in order). Otherwise
//    Compare() fails FailedPrecondition listing every difference, unless
//    options.force: then the report carries them and `forced`. Results
//    without fingerprints (older ones) are compared by stages and requests
//    and the report notes it. A result without a "series" fails
//    FailedPrecondition saying so.
// 2. Metrics: p50, p95, p99 (of the ok response times), error_rate and rate
//    (achieved results/s), overall and, when the scenario has more than one
//    request, per request (paired by name). Point values come from the
//    whole run (after --skip: intervals starting before skip_s are
//    dropped from both runs).
// 3. Intervals: B = resamples circular moving-block resamples of each run
//    (bootstrap.h; blocks of block_s, seeds `seed` and `seed + 1`),
//    paired by index: change_b = q_cur_b / q_base_b - 1 for latencies and
//    rate; for error_rate the difference of the resamples' pooled block
//    proportions in percentage points (cur_b - base_b) * 100. Why the
//    bootstrap rather than a Newcombe interval with a design effect: the same
//    blocks carry the bursts of errors that make block counts overdispersed,
//    no design effect has to be estimated, and every metric's p-value comes
//    from the same resamples, so Holm's ordering compares like with like.
//    Small-sample widening: a run of k blocks gives the bootstrap only ~k
//    independent pieces, so its spread is an estimate from few of them and
//    the plain percentile interval is too narrow for short runs (a 60 s run
//    is 6 blocks). Each change_b is moved away from the point change c to
//    c + f * (change_b - c), f = sqrt(k / (k - 1)) * t(nu, q) / z(q),
//    k = the runs' mean block count, nu = k_base + k_cur - 2, q = 1 - a/2
//    (a = 1 - confidence): the textbook correction of a variance estimated
//    from k pieces (in the calibration pairs it takes the zero-tolerance
//    false-regression rate from 5.5% to 1%). f is 1.25 for two 60 s runs,
//    1.02 for two 10 min runs, 1.003 for 1 h. The interval is then the percentile interval
//    (PercentileInterval) of the widened change_b at the metric's Holm level.
// 4. Tolerance t per metric (CompareOptions::tolerance): relative for
//    latencies and rate, percentage points for error_rate; for latencies
//    t = max(t, floor_us / baseline value), so a change below the floor
//    never counts. In the worse direction (latency and error rate up, rate
//    down), with the interval [lo, hi] of the worse-signed change:
//      REGRESSED     lo > t (and Holm's step-down reached it)
//      IMPROVED      hi < -t
//      SAME          -t <= lo and hi <= t
//      INCONCLUSIVE  otherwise; needed_s estimates the run length that would
//                    decide it, from the interval narrowing as 1/sqrt(length).
// 5. Holm. The family is every metric compared (m of them) and the test is
//    "regressed beyond t" for each. p = (resamples with worse-signed,
//    widened change_b <= t) / B. Sorted by p ascending (ties in report order), the
//    k-th (k = 1..m) is judged on its interval at level 1 - a / (m - k + 1),
//    a = 1 - confidence, so REGRESSED at rank k means p <= floor(a/2/(m-k+1)
//    * B) / B: a one-sided test at a / 2 / (m - k + 1). Step-down: after the
//    first metric that is not REGRESSED, none later in the order is (it
//    reads INCONCLUSIVE when its own interval lies beyond t). The family-wise
//    rate of false REGRESSED verdicts is then at most a / 2.
//
// Pure functions of their inputs (the RNG is seeded from the options).
#ifndef BARRAGE_CONTROLLER_REPORT_COMPARE_H_
#define BARRAGE_CONTROLLER_REPORT_COMPARE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

enum class CompareMetric { kP50 = 0, kP95, kP99, kErrorRate, kRate };
constexpr int kCompareMetricCount = 5;
// "p50", "p95", "p99", "error_rate", "rate".
const char* CompareMetricName(CompareMetric metric);

enum class Verdict { kSame, kImproved, kInconclusive, kRegressed };
// "SAME", "IMPROVED", "INCONCLUSIVE", "REGRESSED".
const char* VerdictName(Verdict verdict);

struct CompareOptions {
  double skip_s = 0;        // drop intervals starting before this, in both runs
  int resamples = 2000;     // B per run
  uint64_t seed = 1;
  double confidence = 0.95;  // family-wise, before Holm
  double block_s = 10;       // bootstrap block length (in 1 s intervals: 10)
  // Per CompareMetric: p50 5%, p95 5%, p99 10% (relative), error_rate
  // 0.5 (percentage points), rate 5% (relative).
  std::array<double, kCompareMetricCount> tolerance = {0.05, 0.05, 0.10, 0.5, 0.05};
  double floor_us = 1000;  // latency changes below this never count
  bool force = false;      // compare runs that are not comparable
};

struct MetricComparison {
  std::string request;  // "" for every request together
  CompareMetric metric = CompareMetric::kP50;
  // Point values: us for latencies, a fraction (0..1) for error_rate,
  // results/s for rate.
  double baseline = 0;
  double current = 0;
  // current / baseline - 1, or for error_rate (current - baseline) * 100 pp;
  // lo and hi bound it (same sign convention) at `level`.
  double change = 0;
  double lo = 0;
  double hi = 0;
  double level = 0.95;
  double tolerance = 0;  // the one applied (floor included), in change's units
  double p_value = 1;    // of "regressed beyond tolerance"
  int holm_rank = 0;     // 1 = judged first
  Verdict verdict = Verdict::kSame;
  // INCONCLUSIVE only: the estimated length (s, each run, after skip) that
  // would decide it; +inf when the change sits on the tolerance.
  double needed_s = 0;
};

struct CompareReport {
  std::string baseline_run;  // result JSON "run" ("" when absent)
  std::string current_run;
  std::string scenario;
  double baseline_s = 0;  // compared length of each run (after skip)
  double current_s = 0;
  CompareOptions options;
  double widening = 1;  // the small-sample factor of point 3 (>= 1)
  bool forced = false;                   // not comparable, compared anyway
  std::vector<std::string> differences;  // why not comparable (when forced)
  std::vector<std::string> notes;        // e.g. no fingerprints to check
  std::vector<MetricComparison> metrics;  // overall first, then per request
  Verdict verdict = Verdict::kSame;       // the worst of the metrics'
};

// What keeps the runs from being compared (empty: comparable), each a
// line like "stages[1].target_rps: 100 vs 200". InvalidArgument when either
// text is not a JSON object.
absl::StatusOr<std::vector<std::string>> CompareDifferences(const std::string& baseline_json,
                                                            const std::string& current_json);

absl::StatusOr<CompareReport> Compare(const std::string& baseline_json,
                                      const std::string& current_json,
                                      const CompareOptions& options);

// Holm's step-down of point 5 over `items` (the p-values, levels, intervals
// and verdicts of the family), in worse-signed terms: each item's
// `worse` holds its B resampled changes signed so that larger is worse,
// `tolerance` its t >= 0. Sets the other fields.
struct HolmItem {
  std::vector<double> worse;
  double tolerance = 0;
  double p_value = 1;  // out: the fraction of `worse` <= tolerance
  int rank = 0;        // out: 1 = judged first
  double level = 0;    // out: 1 - (1 - confidence) / (m - rank + 1)
  double lo = 0;       // out: the percentile interval of `worse` at `level`
  double hi = 0;
  Verdict verdict = Verdict::kSame;  // out
};
void HolmVerdicts(std::vector<HolmItem>& items, double confidence);

// 99 REGRESSED, 98 INCONCLUSIVE, 0 otherwise (README "Exit codes").
int CompareExitCode(const CompareReport& report);
constexpr int kExitCompareInconclusive = 98;

// "p95=5%,p99=10%,error_rate=0.5pp,rate=2%" over `defaults`: a relative
// tolerance as "5%" or "0.05", error_rate in "pp" (or a bare number of
// points). InvalidArgument naming the bad item.
absl::StatusOr<std::array<double, kCompareMetricCount>> ParseTolerances(
    absl::string_view text, const std::array<double, kCompareMetricCount>& defaults);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_COMPARE_H_
