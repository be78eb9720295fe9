// Copyright 2026 The Barrage Authors.
//
// The human summary of a run, rendered from its result JSON alone (README
// "Result JSON", version 1): what the CLI prints at the end of a run and
// what `barrage report RUN` prints for a stored run, including a
// checkpoint of a run interrupted by a restart (status "interrupted" or
// "running"). Layout: verdict line; thresholds (with a windowed one's worst
// window); error; totals with errors by kind, by reason (top 8), status
// codes, failed checks and captures by name (reasons "check NAME",
// "capture VAR": outcome check_failed) and aborted requests; the stages
// when the run ended early; the latency table of successful requests (all,
// each request in scenario order, flow steps as "FLOW.STEP", service time,
// failed requests); the flows table when the run has flows (iterations
// started, success rate of the ended ones, p50/p95/p99 of the succeeded
// ones' durations without think time, the step most iterations failed at);
// agents, start skew; events.
// Fields a JSON lacks (an older or partial one) render as zero or are left
// out; requests without "request_order" are listed by name. Pure function.
#ifndef BARRAGE_CONTROLLER_REPORT_SUMMARY_TEXT_H_
#define BARRAGE_CONTROLLER_REPORT_SUMMARY_TEXT_H_

#include <string>

#include "absl/status/statusor.h"

namespace barrage {

// InvalidArgument when `result_json` is not a JSON object.
absl::StatusOr<std::string> SummaryText(const std::string& result_json);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_SUMMARY_TEXT_H_
