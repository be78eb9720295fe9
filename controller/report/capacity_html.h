// Copyright 2026 The Barrage Authors.
//
// The HTML report of `barrage capacity` (`--out html=F`; README "Capacity
// planning"): one self-contained page rendered from the capacity JSON alone
// (controller/capacity/capacity_output.h and capacity_analysis.h give its
// fields), like the run's report (html_report.h): inline CSS, charts as
// inline SVG drawn here with svg_chart.h (so they show with scripts off),
// no reference outside the file, the same small hover script.
//
// The page's structure, for tests, in order:
//   <header id="answer" data-capacity-rps data-limited-by data-stopped-by>:
//     the capacity with its interval (or "none found"), what limits it (the
//     advice when the generator does), the SLO, why the search stopped, the
//     knee, the confirmation's verdict;
//   charts (svg_chart.h's <svg class="chart">, x axis "linear"):
//     chart-throughput  achieved throughput against the load: with USL
//                       points (usl.points), x is their N and the lines are
//                       "steps" (dots, one per point, sorted by N), "usl"
//                       (the fitted X(N) = lambda N / (1 + sigma (N-1) +
//                       kappa N (N-1)), kUslCurvePoints points from 0 to
//                       the range's end) and "capacity" (dashed, 2 points),
//                       with a marker data-kind="n-star" at N* when it is
//                       finite and within the range; without, x is each
//                       step's load (rate: offered /s; vus: VUs), "steps"
//                       are the achieved rates and, for rate steps,
//                       "offered" (dashed, y = x) shows where they fall
//                       short;
//     chart-latency     p50, p95, "p95 lo", "p95 hi" (the interval,
//                       dashed), p99 per step sorted by load, and one
//                       dashed 2-point line "slo pNN" per SLO percentile
//                       limit at its limit (ms); the left axis stops at 4x
//                       the highest such limit when the steps go above it;
//                       a marker data-kind="knee" for rate steps;
//     chart-monitor-NAME one per monitor query in steps[].monitors (cpu
//                       first, then by name; NAME with characters outside
//                       [A-Za-z0-9_-] as '-'): the step means ("mean",
//                       sorted) against the achieved rate; none without;
//     chart-projection  with a projection: "projected peak" (peak (1+g)^t
//                       over months, kProjectionPoints points), "capacity",
//                       "interval lo", "interval hi" (dashed) and a marker
//                       data-kind="exhausted" at the months;
//   <section id="resources"> (with monitor charts or a bottleneck): the
//     charts and <p id="bottleneck">; <section id="growth"> (with a
//     projection or baseline): <p id="projection">, <p id="baseline"
//     data-verdict>, each the JSON's sentence or error;
//   <section id="usl">: <table id="table-usl"> (sigma, kappa, lambda,
//     n_star, x_max: value and interval; limited_by, r2) or <p
//     id="usl-error">; absent when "usl" is null;
//   <table id="table-steps">: one <tr data-step> per step and the
//     confirmation (class "confirmation"): step, load, offered, achieved,
//     p50, p95 [lo, hi], p99, errors, one column per monitor query, verdict,
//     reason; number cells carry data-key and data-value (the JSON's
//     number) as html_tables.h's do.
// Every string from the JSON is escaped.
//
// Pure function; safe from any thread.
#ifndef BARRAGE_CONTROLLER_REPORT_CAPACITY_HTML_H_
#define BARRAGE_CONTROLLER_REPORT_CAPACITY_HTML_H_

#include <string>

#include "absl/status/statusor.h"

namespace barrage {

inline constexpr int kUslCurvePoints = 200;
inline constexpr int kProjectionPoints = 61;

// The page. InvalidArgument naming what is wrong, beginning "capacity
// JSON: ", when `capacity_json` is not a JSON object, its "version" is not
// 1, or "steps" is missing or not an array of objects. Optional parts
// that are null or missing ("usl", "projection", "baseline", "bottleneck",
// "confirmation", "knee", steps' "monitors") leave their sections out.
absl::StatusOr<std::string> CapacityHtml(const std::string& capacity_json);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_CAPACITY_HTML_H_
