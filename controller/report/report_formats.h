// Copyright 2026 The Barrage Authors.
//
// One dispatch from a result JSON to every report format, used by both
// `barrage run --out KIND=F` and `barrage report RUN|FILE --format F`:
//   text   the summary as at the end of a run (summary_text.h)
//   json   the result JSON itself
//   junit  JUnit XML (junit_report.h)
//   html   the HTML report (html_report.h)
//   csv    the time series as CSV (csv_report.h)
// Pure functions.
#ifndef BARRAGE_CONTROLLER_REPORT_REPORT_FORMATS_H_
#define BARRAGE_CONTROLLER_REPORT_REPORT_FORMATS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "controller/report/html_report.h"

namespace barrage {

enum class ReportFormat { kText, kJson, kJunit, kHtml, kCsv };

// "text", "json", "junit", "html", "csv"; InvalidArgument otherwise
// ("'x' is not text, json, junit, html or csv").
absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name);
const char* ReportFormatName(ReportFormat format);

struct ReportOptions {
  HtmlReportOptions html;  // html only
};

// The report of `result_json` in `format`. InvalidArgument for a result
// that is not a JSON object; what the renderer says otherwise (NotFound
// for csv of a result without a series; the html stub's Unimplemented).
absl::StatusOr<std::string> RenderReport(ReportFormat format, const std::string& result_json,
                                         const ReportOptions& options = ReportOptions());

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_REPORT_FORMATS_H_
