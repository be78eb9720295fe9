// Copyright 2026 The Barrage Authors.
//
// `barrage trend NAME [--last N] [--format text|json]`: a scenario's
// p50/p95/p99 and error rate over its last N passed or failed runs on the
// controller's store (oldest first), with the change points
// controller/report/trend.h finds, each named by the run where it began.
// Runs that did not finish (aborted, error, running, interrupted) are
// skipped and counted. Exits 0 (2 bad usage, 3 no controller, as every
// command).
//
// Also the HTML report's trend section: TrendPointsFor.
#ifndef BARRAGE_CONTROLLER_CLI_TREND_COMMAND_H_
#define BARRAGE_CONTROLLER_CLI_TREND_COMMAND_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/cli/remote_run.h"
#include "controller/report/html_report.h"
#include "controller/report/trend.h"

namespace barrage {

// `args` excludes the program and command names.
int RunTrend(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The scenario's stored runs, newest first, as AnalyzeTrend takes them:
// enough of them that `last` are passed or failed (or all there are), all
// of them up to `up_to_run` ("": the newest). Errors as FetchRuns.
absl::StatusOr<std::vector<TrendRun>> FetchHistory(const RemoteOptions& options,
                                                   const std::string& scenario,
                                                   const std::string& up_to_run, size_t last);

// The trend section for run `run_id` of `scenario`'s HTML report
// (HtmlReportOptions::trend): its scenario's last `last` passed/failed runs
// up to it, oldest first, change points marked; empty when there is no
// earlier one. Errors as FetchRuns.
absl::StatusOr<std::vector<TrendPoint>> TrendPointsFor(const RemoteOptions& options,
                                                       const std::string& scenario,
                                                       const std::string& run_id,
                                                       size_t last = 30);

// The renderings `barrage trend` prints (pure): a table and the changes, or
// a JSON object {"scenario", "runs": [{run, started_at, status, p50_ms,
// p95_ms, p99_ms, error_rate, change_point}], "skipped", "enough_runs",
// "min_runs", "changes": [{metric, run, index, before, after, p_value}]}.
std::string TrendText(const std::string& scenario, const TrendReport& report,
                      const TrendOptions& options);
std::string TrendJson(const std::string& scenario, const TrendReport& report,
                      const TrendOptions& options);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_TREND_COMMAND_H_
