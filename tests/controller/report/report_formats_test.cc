// Copyright 2026 The Barrage Authors.

#include "controller/report/report_formats.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "controller/report/csv_report.h"
#include "controller/report/junit_report.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

constexpr char kResult[] =
    R"({"version": 1, "run": "r-1", "scenario": "s", "status": "passed",)"
    R"( "totals": {"requests": 3}, "series": {"interval_s": 1, "requests": ["a"],)"
    R"( "intervals": [{"t": 0, "len": 1, "r": [{"o": [3]}]}]}})";

TEST_CASE("report formats parse by name, and anything else is named in the error") {
  for (const char* name : {"text", "json", "junit", "html", "csv"}) {
    absl::StatusOr<ReportFormat> f = ParseReportFormat(name);
    REQUIRE(f.ok());
    CHECK(std::string(ReportFormatName(*f)) == name);
  }
  CHECK(std::string(ParseReportFormat("xml").status().message()) ==
        "'xml' is not text, json, junit, html or csv");
}

TEST_CASE("one dispatch renders every format from the result JSON") {
  CHECK(*RenderReport(ReportFormat::kJson, kResult) == kResult);
  CHECK(*RenderReport(ReportFormat::kCsv, kResult) == *CsvReport(kResult));
  CHECK(*RenderReport(ReportFormat::kJunit, kResult) == *JunitReport(kResult));
  absl::StatusOr<std::string> text = RenderReport(ReportFormat::kText, kResult);
  REQUIRE(text.ok());
  CHECK_THAT(*text, ContainsSubstring("r-1"));
  CHECK(RenderReport(ReportFormat::kJson, "not json").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace barrage
