// Copyright 2026 The Barrage Authors.
//
// The CSV export of a run's time series (`barrage run --out csv=F`,
// `barrage report --format csv`; README "CSV"): RFC 4180 (CRLF line ends,
// fields with a comma, quote, CR or LF quoted, quotes doubled), a header
// row, then per interval one row per request in scenario order (flow steps
// as "FLOW.STEP"), one for "all" (the requests merged) and, for a run with
// flows, one per flow named "flow:NAME":
//
//   time_s,length_s,request,requests,http_error,timeout,connect_error,
//   other,aborted,p50_ms,p95_ms,p99_ms,max_ms,achieved_rps,check_failed,
//   failed
//
// time_s is the interval's start (run time), length_s its length (1, or
// longer where the series was coarsened); requests counts results of any
// outcome; the six outcome columns count results by outcome (check_failed
// came later, so it is after achieved_rps); failed counts the results that
// are errors; the latency columns are of the ok results (from the
// interval's merged histogram; empty when it has none); achieved_rps is
// requests / length_s. A flow row counts iterations: requests those that
// ended (succeeded, failed or aborted), aborted the aborted ones, failed
// the failed ones, the other outcome columns empty; its latency columns
// are the succeeded iterations' durations (think time excluded). With a
// `monitor:` section, a column monitor_NAME per query follows: the mean of
// its samples in the interval (empty without one), the same on every row of
// the interval. Pure.
#ifndef BARRAGE_CONTROLLER_REPORT_CSV_REPORT_H_
#define BARRAGE_CONTROLLER_REPORT_CSV_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "controller/report/time_series.h"

namespace barrage {

// NotFound for a result without a series (an older result);
// InvalidArgument for a malformed one.
absl::StatusOr<std::string> CsvReport(const std::string& result_json);
std::string CsvFromSeries(const RunSeries& series);

// `field` as an RFC 4180 field: quoted when it must be.
std::string CsvField(absl::string_view field);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_CSV_REPORT_H_
