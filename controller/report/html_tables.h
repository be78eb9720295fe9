// Copyright 2026 The Barrage Authors.
//
// The HTML report's tables (html_report.h), each appended to `out` as a
// `<table id="table-NAME">` read leniently from the parsed result JSON
// (result_doc.h). Every number cell carries `data-key` and `data-value`,
// the raw JSON number (ExactNumber), beside its display text; every string
// from the JSON is escaped. Pure functions; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_HTML_TABLES_H_
#define BARRAGE_CONTROLLER_REPORT_HTML_TABLES_H_

#include <string>

#include "controller/report/result_doc.h"
#include "controller/report/time_series.h"

namespace barrage {

// table-stages: index, duration, target rate or VUs, reached, ran, achieved.
void AppendStagesTable(const result_doc::Struct& result, std::string& out);
// table-thresholds: expression, passed, value, limit, worst window.
void AppendThresholdsTable(const result_doc::Struct& result, std::string& out);
// table-totals: "totals" and "outcomes", one row each.
void AppendTotalsTable(const result_doc::Struct& result, std::string& out);
// table-requests: per request (scenario order) then the run ("all" row):
// requests, ok, errors, errors by outcome (http_error, timeout,
// connect_error, other, check_failed; summed from `series`; "-" when it
// is null), statuses, p50 p90 p95 p99 p99.9 max of the ok responses (ms).
void AppendRequestsTable(const result_doc::Struct& result, const RunSeries* series,
                         std::string& out);
// table-flows: per flow (scenario order): started, succeeded, failed,
// aborted, success rate, p50 p90 p95 p99 max mean of the succeeded
// iterations' durations (ms, think time excluded), p95 with think time and
// the step most iterations failed at; nothing for a run without flows.
void AppendFlowsTable(const result_doc::Struct& result, std::string& out);
// table-phases: the connection phases ("phases_ms": connect, tls, ttfb),
// one row each with p50 p95 p99 max (ms) and count; nothing when the
// result has none (agents that did not measure them).
void AppendPhasesTable(const result_doc::Struct& result, std::string& out);
// table-agents: id, version, HTTP client, requests, errors, dropped, late,
// connections, CPU s, schedule lag p99, saturated intervals.
void AppendAgentsTable(const result_doc::Struct& result, std::string& out);
// table-events: at (s), kind, agent, action.
void AppendEventsTable(const result_doc::Struct& result, std::string& out);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_HTML_TABLES_H_
