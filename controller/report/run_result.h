// Copyright 2026 The Barrage Authors.
//
// The run's result: the versioned JSON summary (README "Result JSON"; a
// public format that CI parses), rendered from the merged data. The human
// summary is rendered from this JSON (summary_text.h). Latency percentiles
// are of successful (ok) requests; failed ones have their own
// (error_latency_ms); aborted requests count in the totals only. Flows
// ("flows", one entry per flow: iterations, success rate, durations
// without and with think time, failures by step, steps) come from the
// merger's FlowTotals; their steps are among the requests. Pure
// functions.
//
// Beside the totals it carries the run's "fingerprint" (fingerprint.h),
// its "exit_code" (once finished) and its time series ("series", from the
// merger's SeriesRecorder, time_series.h), so a result alone is enough to
// chart, export and compare the run.
#ifndef BARRAGE_CONTROLLER_REPORT_RUN_RESULT_H_
#define BARRAGE_CONTROLLER_REPORT_RUN_RESULT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/scenario/scenario.h"
#include "controller/monitor/monitor_record.h"
#include "controller/run/run_merger.h"
#include "controller/run/thresholds.h"

namespace barrage {

struct RunEventRecord {
  double at_s = 0;       // seconds since the run's start
  std::string kind;      // agent_lost, threshold_failed, aborted, ...
  std::string agent;
  std::string action;    // what was done about it
};

// A check of the run itself rather than of the target: did the load
// generator do what the plan asked? "concurrency_held": every planned VU
// had its connection (no agent was capped below its VUs, no rebalance left
// more VUs than the agents could hold). A failed check fails the run.
struct RunCheck {
  std::string name;
  bool passed = true;
  std::string detail;  // why it failed; "" when it passed
};

// One scenario.data source in the result ("data").
struct DataSourceUse {
  std::string name;
  std::string mode;   // sequential | random | unique
  int64_t rows = 0;   // in the file
  // Rows taken (unique: reported by the agents, over all rounds); < 0:
  // not counted (sequential, random), left out of the JSON.
  int64_t used = -1;
  // Unique: rows crashed agents held unreported, dealt again (no other row
  // can have been sent twice; DataDealer::redealt_rows); < 0: left out.
  int64_t redealt = -1;
  // Unique: of those, the rows the crashed agents may have taken after
  // their last report: the likely duplicates, an estimate from their take
  // rates (DataDealer::may_have_taken_rows); < 0: left out.
  int64_t maybe_twice = -1;
};

struct RunReport {
  std::string run_id;
  std::string status = "passed";  // passed | failed | aborted | error
  absl::Time started_at;
  double duration_s = 0;
  std::vector<ThresholdResult> thresholds;
  std::vector<RunEventRecord> events;
  std::vector<RunCheck> checks;  // "checks" in the JSON
  double start_skew_ms = -1;  // spread of the agents' starts; < 0 unknown
  std::string error;          // status "error": why
  int exit_code = -1;         // the run's exit code; < 0: not yet (a checkpoint)
  std::string file;           // the scenario file's path as given
  std::map<std::string, std::string> agent_versions;  // agent id -> its Hello's version
  std::optional<MonitorSummary> monitor;  // the scenario's monitor: section, sampled
  std::vector<DataSourceUse> data;  // "data", when the scenario has sources
};

// How one stage of the plan actually ran.
struct StageRun {
  bool reached = false;     // the run got to it
  double ran_s = 0;         // seconds it ran (< its duration if cut short)
  uint64_t requests = 0;    // results of the intervals starting in it
  double achieved_rps = 0;  // requests / ran_s; 0 when not reached
};
// Per stage of `scenario`, for a run that lasted `duration_s`.
std::vector<StageRun> StagesRun(const Scenario& scenario, const RunMerger& merged,
                                double duration_s);

// "passed" unless a threshold or a check failed ("failed"); `aborted` wins.
std::string StatusFor(const std::vector<ThresholdResult>& results, bool aborted,
                      const std::vector<RunCheck>& checks = {});

// The result JSON (README "Result JSON"), compact, ending in a newline.
// `with_series` false leaves out the "series" (its last key, and by far
// its biggest part): a checkpoint's writer adds it (series_delta.h).
std::string ResultJson(const RunReport& report, const Scenario& scenario,
                       const RunMerger& merged, bool with_series = true);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RUN_RESULT_H_
