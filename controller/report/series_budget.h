// Copyright 2026 The Barrage Authors.
//
// Keeping a run's time series (time_series.h) within its budget: at most
// SeriesBudget::json_bytes of "series" JSON (so a 1-hour run of 20
// requests keeps its result JSON under 20 MB and its stored record under
// 50 MB) and at most SeriesBudget::memory_bytes of RunSeries in the
// controller's memory. Past either, the oldest intervals are coarsened
// exactly: `factor` (10) consecutive intervals of the finest length are
// merged into one `factor` times as long, at 2 significant digits (the
// histograms merge by bucket addition; counts, statuses and flows' counts
// add up, flow durations merge like the response times), oldest
// first, until the series fits or nothing more can be merged; once every
// interval outside the protected newest ones is 10 s long, the oldest 10 s
// ones merge into 100 s ones, and so on. Totals never change. The result
// is recorded in RunSeries::coarsened, one entry per coarsened length.
//
// A merged interval's offered and achieved rates are the means over its
// length, its agents and VUs the highest of its parts.
//
// Sizes are estimates: JSON bytes from the histograms' real snapshot sizes
// (base64) and the counts' digits, within a few percent; memory bytes from
// the containers' capacities. Not thread-safe; a value per series.
#ifndef BARRAGE_CONTROLLER_REPORT_SERIES_BUDGET_H_
#define BARRAGE_CONTROLLER_REPORT_SERIES_BUDGET_H_

#include <cstddef>
#include <vector>

#include "controller/report/time_series.h"

namespace barrage {

struct SeriesBudget {
  size_t json_bytes = 15'000'000;      // the "series" object, estimated
  size_t memory_bytes = 128u << 20;    // the RunSeries in memory, estimated
  size_t factor = 10;                  // intervals merged into one per step
};

size_t IntervalJsonBytes(const SeriesInterval& interval);
size_t IntervalMemoryBytes(const SeriesInterval& interval);

// The `n` consecutive intervals from `first` merged into one (2 significant
// digits), as the file comment says.
SeriesInterval MergeIntervals(const SeriesInterval* first, size_t n);

// The running size of one series, kept beside it so that fitting it costs
// nothing while it fits. Tell it about every change to the intervals.
class SeriesFitter {
 public:
  explicit SeriesFitter(SeriesBudget budget = SeriesBudget());

  // series.intervals.back() was just appended.
  void Appended(const RunSeries& series);
  // series.intervals[i] changed (a late report was added to it).
  void Changed(const RunSeries& series, size_t i);
  // Accounts for every interval of `series` afresh.
  void Reset(const RunSeries& series);

  bool over_budget() const {
    return json_total_ > budget_.json_bytes || memory_total_ > budget_.memory_bytes;
  }
  // Coarsens the oldest intervals of `series`, leaving the newest
  // `keep_newest` as they are, until it fits (or cannot be merged
  // further). True when it changed anything. `merged_starts` (when given)
  // gets the start_s of every interval a merge made (some may be merged
  // again into a longer one starting before them).
  bool Fit(RunSeries& series, size_t keep_newest, std::vector<double>* merged_starts = nullptr);

  size_t json_bytes() const { return json_total_; }
  size_t memory_bytes() const { return memory_total_; }
  const SeriesBudget& budget() const { return budget_; }

 private:
  // One pass over intervals of length `length_s`: merges groups of them
  // from the oldest while over budget. True when it merged any.
  bool MergePass(RunSeries& series, double length_s, size_t keep_newest,
                 std::vector<double>* merged_starts);
  static void Describe(RunSeries& series, const SeriesBudget& budget);

  const SeriesBudget budget_;
  std::vector<size_t> json_;    // per interval
  std::vector<size_t> memory_;  // per interval
  size_t json_total_ = 0;
  size_t memory_total_ = 0;
};

// Fits a whole series (every interval may be coarsened). True when it
// changed anything.
bool FitSeries(RunSeries& series, const SeriesBudget& budget = SeriesBudget());

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_SERIES_BUDGET_H_
