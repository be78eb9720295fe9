// Copyright 2026 The Barrage Authors.
//
// `barrage report RUN`'s text: the human summary of a stored run, rendered
// from its result JSON (README "Result JSON"; also a restart's partial
// checkpoint) in the layout of the summary at the end of a run
// (SummaryText in controller/report/run_result.h): verdict line, thresholds,
// totals, errors by kind, latency table, agents and events. The controller
// keeps only the JSON and the merged histograms, so the JSON is the source;
// requests are listed by name (JSON objects keep no order). Pure function.
#ifndef BARRAGE_CONTROLLER_CLI_REPORT_TEXT_H_
#define BARRAGE_CONTROLLER_CLI_REPORT_TEXT_H_

#include <string>

#include "absl/status/statusor.h"

namespace barrage {

// InvalidArgument when `result_json` is not a JSON object.
absl::StatusOr<std::string> SummaryTextFromJson(const std::string& result_json);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_REPORT_TEXT_H_
