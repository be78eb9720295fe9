// Copyright 2026 The Barrage Authors.
//
// The HTML report of a run: one self-contained file rendered from the
// run's result JSON (with its "series", time_series.h) that works from
// file:// without any network request: inline CSS (with a print
// stylesheet), charts as inline SVG drawn here (so they show with scripts
// off), and at most a small inline script for hover values and zoom.
// Pure function.
#ifndef BARRAGE_CONTROLLER_REPORT_HTML_REPORT_H_
#define BARRAGE_CONTROLLER_REPORT_HTML_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace barrage {

// One earlier run of the same scenario, for the trend section.
struct TrendPoint {
  std::string run_id;
  std::string started_at;  // RFC 3339
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double error_rate = 0;   // 0..1
  bool change_point = false;  // a change (trend.h) begins at this run
};

struct HtmlReportOptions {
  // A baseline run's result JSON, overlaid on the percentile distribution
  // chart; "" for none.
  std::string baseline_json;
  // The scenario's history, oldest first, ending with this run; empty: no
  // trend section.
  std::vector<TrendPoint> trend;
};

// InvalidArgument when `result_json` is not a result JSON object or its
// series is malformed, or when a given baseline_json is (its message then
// begins "baseline: "). A result without a series renders with empty
// charts. The page's structure, for tests (README "Reports"): the verdict
// is `<header id="verdict" data-status data-exit-code>`; charts are
// svg_chart.h's, with ids chart-rate, chart-latency, chart-errors,
// chart-fleet, chart-distribution and (with a trend) chart-trend, decimated
// as series_view.h says; tables are html_tables.h's.
absl::StatusOr<std::string> HtmlReport(const std::string& result_json,
                                       const HtmlReportOptions& options);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_HTML_REPORT_H_
