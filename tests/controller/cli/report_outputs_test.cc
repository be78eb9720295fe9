// Copyright 2026 The Barrage Authors.

#include "controller/cli/report_outputs.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/util/files.h"
#include "controller/cli/commands.h"
#include "controller/report/csv_report.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

constexpr char kResult[] =
    R"({"version": 1, "run": "r-1", "scenario": "s", "status": "passed",)"
    R"( "totals": {"requests": 3}, "series": {"interval_s": 1, "requests": ["a"],)"
    R"( "intervals": [{"t": 0, "len": 1, "r": [{"o": [3]}]}]}})";

std::filesystem::path TempDir() {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("report-outputs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST_CASE("an --out value is KIND=FILE") {
  absl::StatusOr<ReportOutput> o = ParseReportOutput("junit=out/a=b.xml");
  REQUIRE(o.ok());
  CHECK(o->format == ReportFormat::kJunit);
  CHECK(o->path == "out/a=b.xml");
  CHECK(ParseReportOutput("csv=x.csv")->format == ReportFormat::kCsv);
  CHECK(std::string(ParseReportOutput("x").status().message()) ==
        "--out: 'x' is not KIND=FILE (KIND: json, junit, html or csv)");
}

TEST_CASE("every output is written even when one fails, which is named") {
  const std::filesystem::path dir = TempDir();
  std::vector<ReportOutput> outputs = {
      {ReportFormat::kJson, (dir / "a.json").string()},
      {ReportFormat::kCsv, (dir / "no-such-dir" / "c.csv").string()},
      {ReportFormat::kJunit, (dir / "b.xml").string()},
  };
  std::ostringstream err;
  CHECK_FALSE(WriteReportOutputs(outputs, kResult, ReportOptions(), err).ok());
  CHECK_THAT(err.str(), ContainsSubstring("barrage run: --out csv=" + outputs[1].path));
  CHECK(*ReadFile(outputs[0].path) == kResult);
  CHECK_THAT(*ReadFile(outputs[2].path), ContainsSubstring("<testsuites"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("barrage report FILE renders a result file without a controller") {
  const std::filesystem::path dir = TempDir();
  const std::string result = (dir / "result.json").string();
  std::ofstream(result) << kResult;
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(RunCli({"barrage", "report", result, "--format", "csv"}, out, err) == 0);
  CHECK(out.str() == *CsvReport(kResult));
  const std::string csv = (dir / "out.csv").string();
  REQUIRE(RunCli({"barrage", "report", result, "--format", "csv", "-o", csv}, out, err) == 0);
  CHECK(*ReadFile(csv) == *CsvReport(kResult));
  std::ofstream(result) << "{\"version\": 1}";
  std::ostringstream err2;
  CHECK(RunCli({"barrage", "report", result, "--format", "csv"}, out, err2) == kExitInternal);
  CHECK_THAT(err2.str(), ContainsSubstring("the result has no time series"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace barrage
