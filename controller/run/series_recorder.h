// Copyright 2026 The Barrage Authors.
//
// SeriesRecorder: a run's whole time series (RunSeries, time_series.h), fed
// by the merger with every report it accepts and by the coordinator with
// what only it knows (the plan's offered rate, the agents in the run).
//
// Intervals are numbered as the merger's (index = start / length). An open
// interval (not yet closed by the merger) gathers its reports sparsely;
// Close() appends it, in index order, to the series, which then holds one
// SeriesInterval per closed interval. A report for an interval already
// closed (late) is added to the interval that holds it, coarsened or not,
// so the series' requests always sum to the run's: the series is a view,
// rendered whole at every checkpoint and at the end.
//
// Budget: after each Close() the series is fitted (series_budget.h),
// leaving the newest kKeepNewest intervals as they are; so in memory it
// stays under SeriesBudget::memory_bytes (64 MiB) and in JSON under
// SeriesBudget::json_bytes whatever the run's length, rate and spread.
//
// Thread safety: none; owned by the run's merger.
#ifndef BARRAGE_CONTROLLER_RUN_SERIES_RECORDER_H_
#define BARRAGE_CONTROLLER_RUN_SERIES_RECORDER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/stats/outcome.h"
#include "common/stats/sparse_histogram.h"
#include "controller/report/series_budget.h"
#include "controller/report/series_delta.h"
#include "controller/report/time_series.h"

namespace barrage {

class SeriesRecorder {
 public:
  static constexpr size_t kKeepNewest = 30;  // never coarsened while running

  explicit SeriesRecorder(std::vector<std::string> requests,
                          SeriesBudget budget = SeriesBudget());

  // The length of every interval (the merger's; 1 s unless reports say
  // otherwise). Call before anything is added.
  void set_interval_ns(int64_t interval_ns);
  // The run's flows (scenario order), each interval's FlowInterval
  // parallel to them. Call before anything is added; none by default.
  void set_flows(std::vector<std::string> flows);
  // The run times [from_ns, to_ns) of the warm-up stages: an interval
  // starting in one is closed with SeriesInterval::warmup set.
  void set_warmup(std::vector<std::pair<int64_t, int64_t>> ranges_ns) {
    warmup_ns_ = std::move(ranges_ns);
  }

  // `count` results of `request` (an index into the requests) with
  // `outcome` in interval `index`; `ok` their response times when the
  // outcome is ok (null: none).
  void AddResults(int64_t index, size_t request, Outcome outcome, uint64_t count,
                  const SparseHistogram* ok);
  void AddStatus(int64_t index, size_t request, uint32_t status, uint64_t count);
  // Flow `flow`'s (an index into the flows) iterations in interval `index`.
  void AddFlow(int64_t index, size_t flow, const FlowInterval& delta);
  // The monitor queries' names (RunSeries::monitor); call before samples.
  void set_monitor(std::vector<std::string> names);
  // A sample `value` of monitor query `query` (an index into the names)
  // taken at run time `run_s` (seconds): it goes to the interval holding
  // that time, open or closed.
  void AddMonitor(double run_s, size_t query, double value);
  // `agent` had `vus` active virtual users in interval `index` (its latest
  // report for it counts). Late reports do not change a closed interval's
  // VUs (a gauge).
  void AddVus(int64_t index, const std::string& agent, int64_t vus);

  // Closes interval `index`, which must be the one after the last closed
  // (the merger closes them in order, empty ones too), then fits the
  // series to its budget.
  void Close(int64_t index);
  // What the coordinator knows of closed interval `index`; ignored when it
  // is unknown or already coarsened.
  void Describe(int64_t index, double offered_rps, int32_t agents);

  // The closed intervals; achieved_rps is kept current.
  const RunSeries& series() const { return series_; }
  // What changed in series() since the last TakeDelta (series_delta.h):
  // the whole series the first time, else copies of the intervals closed
  // since and of the older ones changed since (late reports, Describe, a
  // coarsening's merges). Costs the size of the delta, not the series.
  SeriesDelta TakeDelta();
  int64_t closed_through() const { return next_ - 1; }
  // Estimated bytes of the series in memory (closed intervals) and as JSON.
  size_t memory_bytes() const { return fitter_.memory_bytes(); }
  size_t json_bytes() const { return fitter_.json_bytes(); }

 private:
  struct Open {
    SeriesInterval interval;
    std::map<std::string, int64_t> vus;  // per agent
  };
  // The interval `index` is in: an open one (created), or the closed one
  // holding it (its position in series_.intervals in `*closed`).
  SeriesInterval& Slot(int64_t index, size_t* closed);
  void Touched(size_t closed);
  // The interval starting at `start_s` changed: in the next delta.
  void Dirty(double start_s);

  RunSeries series_;
  SeriesFitter fitter_;
  std::vector<std::pair<int64_t, int64_t>> warmup_ns_;
  double interval_s_ = 1;
  std::map<int64_t, Open> open_;  // bounded by the merger's open intervals
  int64_t next_ = 0;              // the next index to close
  // TakeDelta's bookkeeping: the next delta is the whole series, or the
  // intervals starting at or after taken_end_s_ and those holding the
  // run times in dirty_ (starts of intervals changed since).
  bool take_full_ = true;
  double taken_end_s_ = 0;
  std::set<double> dirty_;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_SERIES_RECORDER_H_
