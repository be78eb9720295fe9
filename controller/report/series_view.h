// Copyright 2026 The Barrage Authors.
//
// SeriesView: a run's time series (time_series.h) reduced to the lines the
// HTML report draws, with at most `max_points` points per line however long
// the run. Up to `max_points` intervals every interval is a point. Beyond,
// consecutive intervals are grouped into display buckets (at most
// max_points / 2 of them) and:
//   - rate lines (offered and achieved rps, errors/s by outcome, agents,
//     VUs) keep each bucket's minimum and maximum interval, in time order
//     (two points per bucket), so a spike or a dip survives;
//   - p50 and p95 are read from the bucket's merged histogram (the exact
//     merge of its intervals' ok histograms across every request), never
//     averaged; p99 is the bucket's highest interval p99 (each from that
//     interval's merged histogram) and max its highest value, so a tail
//     spike survives.
// Flow lines (per flow, "NAME-p50" and "NAME-p95" of its succeeded
// iterations' durations, think time excluded) are read like p50 and p95
// from the bucket's merged duration histogram. Latency and flow lines
// leave out intervals without an ok result or a succeeded iteration. x values are the
// intervals' start times (s); latency in ms.
//
// Pure function; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_SERIES_VIEW_H_
#define BARRAGE_CONTROLLER_REPORT_SERIES_VIEW_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/stats/sparse_histogram.h"
#include "controller/report/svg_chart.h"
#include "controller/report/time_series.h"

namespace barrage {

struct SeriesView {
  size_t intervals_per_point = 1;  // 1: undecimated
  std::vector<ChartLine> rate;     // offered_rps, achieved_rps
  std::vector<ChartLine> latency;  // p50, p95, p99, max
  // http_error, timeout, connect_error, other, check_failed (per s)
  std::vector<ChartLine> errors;
  std::vector<ChartLine> flows;    // per flow of RunSeries::flows: NAME-p50, NAME-p95 (ms)
  std::vector<ChartLine> fleet;    // agents, vus
  std::vector<ChartLine> monitor;  // one per monitor query: the mean of its samples
  SparseHistogram whole_run;       // every non-warm-up interval's ok response times, merged
  double end_s = 0;                // end of the last interval
};

SeriesView ViewOf(const RunSeries& series, size_t max_points = 1000);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_SERIES_VIEW_H_
