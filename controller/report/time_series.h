// Copyright 2026 The Barrage Authors.
//
// RunSeries: a run's time series, kept with every run so that its result
// (the store's record, or a result file alone) is enough to chart, export
// and compare it. One SeriesInterval per closed interval of the merger
// (1 s; coarser where the run was coarsened to fit its budget): per request
// the merged response times of its successful (ok) results as a Histogram,
// its results by outcome and its responses by HTTP status; and for the
// interval as a whole the plan's offered rate, the achieved rate, the
// agents in the run and their active VUs.
//
// In the result JSON it is the "series" object (README "Result JSON"):
//
//   "series": {"interval_s": 1, "requests": ["a", "b"],
//              "outcomes": ["ok", "http_error", "timeout", "connect_error",
//                           "other", "aborted", "check_failed"],
//              "coarsened": [{"before_s": 600, "length_s": 10, "digits": 2,
//                             "reason": "..."}],
//              "intervals": [{"t": 0, "len": 1, "offered_rps": 50,
//                             "achieved_rps": 49, "agents": 2, "vus": 0,
//                             ["warmup": true,]
//                             "r": [{"o": [33, 0, 0, 0, 0, 0, 0],
//                                    "s": {"200": 33}, "h": "<base64>"},
//                                   {}]}]}
//
// With a `monitor:` section the series also has "monitor": ["cpu", ...]
// (the query names) and each interval "m": [0.82, null, ...], parallel to
// it: the mean of the query's samples taken in the interval (null: none).
// Results without them (older ones, or no monitor) read as no samples.
//
// "r" is parallel to "requests" ({} for a request without results in the
// interval); "o" counts results per outcome in the order of "outcomes"
// (trailing zeros may be left out); "h" is the base64 of a serialized
// barrage.v1.HistogramSnapshot (the wire codec) of the ok response times in
// microseconds, left out when empty. Histograms are exact merges of the
// agents' (2 or 3 significant digits: the snapshot says which), kept
// sparse (SparseHistogram) so a long run's series fits in memory.
//
// A run with flows (README "Flows") adds "flows": ["shop", ...] beside
// "requests" and, per interval, "f" parallel to it: {"n": [started,
// succeeded, failed, aborted], "h": "<base64>"} with "h" the succeeded
// iterations' durations (us, think time excluded), {} for a flow without
// iterations. Both are left out for a run without flows, and a series
// without them (an older result) reads as one without flows.
//
// Pure values and functions; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_TIME_SERIES_H_
#define BARRAGE_CONTROLLER_REPORT_TIME_SERIES_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>

#include "absl/status/statusor.h"
#include "common/stats/sparse_histogram.h"
#include "common/stats/outcome.h"
#include "common/util/json_writer.h"

namespace barrage {

// One request in one interval.
struct RequestInterval {
  SparseHistogram ok;  // response times (us, from the intended send) of ok results
  std::array<uint64_t, kOutcomeCount> outcomes{};  // results by Outcome
  std::map<uint32_t, uint64_t> statuses;           // responses by HTTP status

  uint64_t requests() const;  // results of any outcome (aborted too)
  uint64_t errors() const;    // results whose outcome IsError
};

// One flow's iterations in one interval (stats.proto FlowDelta).
struct FlowInterval {
  uint64_t started = 0;    // iterations begun
  uint64_t succeeded = 0;  // ended with every step ok
  uint64_t failed = 0;     // ended at a failed step
  uint64_t aborted = 0;    // cut by the run's end or an immediate stop
  SparseHistogram duration;  // succeeded iterations (us, without think time)

  uint64_t ended() const { return succeeded + failed + aborted; }
  void Add(const FlowInterval& other);  // counts add up, histograms merge
};

// The samples of one monitor query in one interval.
struct MonitorCell {
  double sum = 0;
  uint64_t samples = 0;
  double mean() const { return samples == 0 ? 0 : sum / static_cast<double>(samples); }
};

struct SeriesInterval {
  double start_s = 0;       // run time at its start
  double length_s = 1;
  double offered_rps = 0;   // the plan's mean arrival rate over it; 0 in closed-model stages
  double achieved_rps = 0;  // its results / length_s
  int32_t agents = 0;       // agents in the run when it closed
  int64_t vus = 0;          // their active virtual users
  // It started in a warm-up stage (Stage::warmup): kept in the series,
  // left out of thresholds, totals and compare. JSON "warmup": true, only
  // when set. A coarsened interval is warm-up only if all its parts were.
  bool warmup = false;
  std::vector<RequestInterval> requests;  // parallel to RunSeries::requests
  std::vector<FlowInterval> flows;        // parallel to RunSeries::flows
  std::vector<MonitorCell> monitor;  // parallel to RunSeries::monitor (or empty)

  SparseHistogram MergedOk() const;  // every request's ok response times
  uint64_t Requests() const;
  uint64_t Errors() const;
};

// Intervals starting before `before_s` were coarsened to `length_s` long
// intervals and `digits` significant digits, to fit the run's budget
// (series_budget.h). Entries are in time order (the oldest intervals are
// the coarsest): an interval follows the first entry it starts before.
struct SeriesCoarsening {
  double before_s = 0;
  double length_s = 1;
  int digits = 3;
  std::string reason;
};

struct RunSeries {
  double interval_s = 1;               // length of an uncoarsened interval
  std::vector<std::string> requests;   // in scenario order (flow steps "FLOW.STEP" too)
  std::vector<std::string> flows;      // in scenario order; empty without flows
  std::vector<std::string> monitor;    // monitor query names, in scenario order
  std::vector<SeriesInterval> intervals;  // in time order, without overlap
  std::vector<SeriesCoarsening> coarsened;
};

// Writes `series` as the value of the "series" key (the caller wrote the key).
void WriteSeriesJson(const RunSeries& series, JsonWriter& json);

// Reads a "series" object. Hostile input: InvalidArgument naming the
// interval and field that is wrong (a bad histogram, "r" longer than
// "requests", a negative or non-integral count, intervals out of order).
absl::StatusOr<RunSeries> SeriesFromJson(const google::protobuf::Struct& series);

// The "series" of a whole result JSON; NotFound when it has none (an older
// result), InvalidArgument when the text or the series is bad.
absl::StatusOr<RunSeries> SeriesFromResultJson(const std::string& result_json);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_TIME_SERIES_H_
