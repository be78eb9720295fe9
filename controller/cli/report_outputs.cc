// Copyright 2026 The Barrage Authors.

#include "controller/cli/report_outputs.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/util/exit_codes.h"

namespace barrage {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReportOutput> ParseReportOutput(absl::string_view spec) {
  const size_t eq = spec.find('=');
  const absl::Status bad = absl::InvalidArgumentError(absl::StrCat(
      "--out: '", spec, "' is not KIND=FILE (KIND: json, junit, html or csv)"));
  if (eq == absl::string_view::npos || eq + 1 == spec.size()) return bad;
  absl::StatusOr<ReportFormat> format = ParseReportFormat(spec.substr(0, eq));
  if (!format.ok() || *format == ReportFormat::kText) return bad;
  return ReportOutput{*format, std::string(spec.substr(eq + 1))};
}

absl::Status WriteReportOutputs(const std::vector<ReportOutput>& outputs,
                                const std::string& result_json,
                                const ReportOptions& options, std::ostream& err) {
  absl::Status first;
  for (const ReportOutput& o : outputs) {
    absl::StatusOr<std::string> text = RenderReport(o.format, result_json, options);
    absl::Status s = text.ok() ? WriteFile(o.path, *text) : text.status();
    if (!s.ok()) {
      err << "barrage run: --out " << ReportFormatName(o.format) << "=" << o.path << ": "
          << s.message() << "\n";
      if (first.ok()) first = s;
    }
  }
  return first;
}

int EmitReport(ReportFormat format, const std::string& result_json, const std::string& source,
               const std::string& path, const ReportOptions& options, std::ostream& out,
               std::ostream& err) {
  absl::StatusOr<std::string> text = RenderReport(format, result_json, options);
  if (!text.ok()) {
    err << "barrage report: " << source << ": " << text.status().message()
        << (format == ReportFormat::kJson ? "" : " (try --format json)") << "\n";
    return kExitInternal;
  }
  if (path.empty()) {
    out << *text;
    return kExitPassed;
  }
  if (absl::Status s = WriteFile(path, *text); !s.ok()) {
    err << "barrage report: " << s.message() << "\n";
    return kExitInternal;
  }
  return kExitPassed;
}

}  // namespace barrage
