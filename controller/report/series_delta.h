// Copyright 2026 The Barrage Authors.
//
// SeriesDelta: what changed in a run's series (RunSeries, time_series.h)
// since the last one, so a checkpoint hands the ResultWriter's thread only
// the new and changed intervals and the heavy part (rendering the whole
// series as JSON, up to ~13 MB for a long run) happens there, on the
// writer's own mirror of the series, never under the coordinator's lock.
//
// A delta is either full (`series` is the whole series: the first delta)
// or incremental: `series` holds the current interval_s, requests, flows
// and coarsened entries, and, in time order, only the intervals that are new
// (starting at or after `from_s`, where the series ended at the previous
// delta) or changed since then: late reports, and intervals a coarsening
// merged, each of which covers exactly the older intervals it replaces.
// So an interval of a delta replaces whatever it overlaps in the mirror.
// A mirror is a full delta that deltas are applied to, in the order taken.
//
// Pure values and functions; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_SERIES_DELTA_H_
#define BARRAGE_CONTROLLER_REPORT_SERIES_DELTA_H_

#include <string>

#include "absl/status/status.h"
#include "controller/report/time_series.h"

namespace barrage {

struct SeriesDelta {
  bool full = true;
  double from_s = 0;  // run time the series ended at the previous delta (incremental only)
  double to_s = 0;    // run time the series ends at: its last interval's end
  RunSeries series;
};

// Applies `delta` (the next one taken) to `into`, a mirror or an older
// delta not yet applied anywhere (two deltas combine into one). A delta
// that does not follow on `into` (its from_s is not into's to_s: one was
// skipped) is FailedPrecondition and leaves both unchanged.
absl::Status ApplySeriesDelta(SeriesDelta&& delta, SeriesDelta& into);

// `result_json` (a result JSON object rendered without its "series", as
// ResultJson(..., with_series = false) gives it) with `series` added as its
// last key: the same text ResultJson renders with the series.
std::string WithSeriesJson(const std::string& result_json, const RunSeries& series);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_SERIES_DELTA_H_
