// Copyright 2026 The Barrage Authors.
//
// Where a run's reports go: `barrage run --out KIND=FILE` (repeatable; KIND
// json, junit, html or csv) and `barrage report ... --format F [-o FILE]`,
// both rendered by RenderReport (controller/report/report_formats.h).
#ifndef BARRAGE_CONTROLLER_CLI_REPORT_OUTPUTS_H_
#define BARRAGE_CONTROLLER_CLI_REPORT_OUTPUTS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "controller/report/report_formats.h"

namespace barrage {

struct ReportOutput {
  ReportFormat format = ReportFormat::kJson;
  std::string path;
};

// One --out value: "KIND=FILE". InvalidArgument naming the flag and the
// value: "--out: 'x=' is not KIND=FILE (KIND: json, junit, html or csv)".
absl::StatusOr<ReportOutput> ParseReportOutput(absl::string_view spec);

// Renders and writes every output of `result_json`, each independently: a
// failure (the renderer's, or the file's) is one line on `err`
// ("barrage run: --out html=F: ...") and the others are still written.
// OK when all were; otherwise the first failure.
absl::Status WriteReportOutputs(const std::vector<ReportOutput>& outputs,
                                const std::string& result_json,
                                const ReportOptions& options, std::ostream& err);

// `barrage report`: renders `result_json` (from `source`, a run id or a
// file, for messages) in `format` with `options` to `path`, or to `out`
// when `path` is "". Returns the exit code: 0, or 1 with the reason on `err`.
int EmitReport(ReportFormat format, const std::string& result_json, const std::string& source,
               const std::string& path, const ReportOptions& options, std::ostream& out,
               std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_REPORT_OUTPUTS_H_
