// Copyright 2026 The Barrage Authors.

#include "controller/report/report_formats.h"

#include "absl/strings/str_cat.h"
#include "controller/report/csv_report.h"
#include "controller/report/junit_report.h"
#include "controller/report/result_doc.h"
#include "controller/report/summary_text.h"

namespace barrage {

absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name) {
  for (ReportFormat f : {ReportFormat::kText, ReportFormat::kJson, ReportFormat::kJunit,
                         ReportFormat::kHtml, ReportFormat::kCsv}) {
    if (name == ReportFormatName(f)) return f;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", name, "' is not text, json, junit, html or csv"));
}

const char* ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kText: return "text";
    case ReportFormat::kJson: return "json";
    case ReportFormat::kJunit: return "junit";
    case ReportFormat::kHtml: return "html";
    case ReportFormat::kCsv: return "csv";
  }
  return "text";
}

absl::StatusOr<std::string> RenderReport(ReportFormat format, const std::string& result_json,
                                         const ReportOptions& options) {
  switch (format) {
    case ReportFormat::kText:
      return SummaryText(result_json);
    case ReportFormat::kJson: {
      absl::StatusOr<result_doc::Struct> parsed = result_doc::ParseResultJson(result_json);
      if (!parsed.ok()) return parsed.status();
      return result_json;
    }
    case ReportFormat::kJunit:
      return JunitReport(result_json);
    case ReportFormat::kHtml:
      return HtmlReport(result_json, options.html);
    case ReportFormat::kCsv:
      return CsvReport(result_json);
  }
  return absl::InvalidArgumentError("unknown report format");
}

}  // namespace barrage
