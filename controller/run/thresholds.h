// Copyright 2026 The Barrage Authors.
//
// Threshold evaluation on merged data. A threshold's value is computed from
// a MetricView (merged histogram and counts of the scope it names, over its
// window) and compared with its limit. Percentiles come from the merged
// buckets (nearest rank), never from averaging. Latency metrics judge
// successful (ok) requests only: failed requests (often fast: a refused
// connection) are left to error_rate.
//
// A view with no results yet has no value; such a threshold is reported as
// passing with no_data set (it cannot have failed).
//
// Pure functions.
#ifndef BARRAGE_CONTROLLER_RUN_THRESHOLDS_H_
#define BARRAGE_CONTROLLER_RUN_THRESHOLDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/stats/histogram.h"
#include "common/scenario/scenario.h"

namespace barrage {

struct MetricView {
  Histogram responses;  // response times (us) of successful (ok) requests
  uint64_t requests = 0;
  uint64_t errors = 0;   // IsError outcomes (not aborted)
  double seconds = 0;   // length of the window (for rps)
};

struct ThresholdResult {
  std::string expression;
  bool passed = true;
  bool no_data = false;
  // Latency metrics: milliseconds; error_rate: fraction; rps: per second.
  double value = 0;
  bool abort = false;
  // Windowed thresholds: the worst window value seen during the run (the
  // highest for `below`, the lowest for `above`; units of `value`) and the
  // run time in seconds at the end of that window. Unset for whole-run
  // thresholds and before the first window with data.
  bool has_worst = false;
  double worst_value = 0;
  double worst_at_s = 0;
};

// The metric's value in the threshold's units (latency: microseconds).
// nullopt when the view has no data for it.
std::optional<double> MetricValue(ThresholdMetric metric, const MetricView& view);

ThresholdResult EvaluateThreshold(const Threshold& threshold,
                                  const MetricView& view);

// Records `window` (an evaluation of `threshold` over a window ending at run
// time `at_s`) as `kept`'s worst window when it is worse than the worst so
// far; windows without data are ignored.
void TrackWorstWindow(const Threshold& threshold, const ThresholdResult& window,
                      double at_s, ThresholdResult& kept);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_THRESHOLDS_H_
