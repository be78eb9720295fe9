// Copyright 2026 The Barrage Authors.

#include "controller/report/html_report.h"

namespace barrage {

absl::StatusOr<std::string> HtmlReport(const std::string&, const HtmlReportOptions&) {
  return absl::UnimplementedError("the HTML report is not written yet");
}

}  // namespace barrage
