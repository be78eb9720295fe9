// Copyright 2026 The Barrage Authors.

#include "controller/cli/trend_command.h"

#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "controller/cli/commands.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TrendReport Sample() {
  TrendReport r;
  for (int i = 0; i < 6; ++i) {
    const double ms = i < 4 ? 5 : 15;
    r.runs.push_back({"r-" + std::to_string(i), "2026-01-01T00:0" + std::to_string(i) + ":00Z",
                      i == 5 ? "failed" : "passed", ms, 2 * ms, 3 * ms, i < 4 ? 0 : 0.02});
  }
  r.skipped = 1;
  r.enough_runs = true;
  r.changes.push_back({TrendMetric::kP95, 4, "r-4", 10, 30, 0.005});
  r.changes.push_back({TrendMetric::kErrorRate, 4, "r-4", 0, 0.02, 0.01});
  return r;
}

TEST_CASE("barrage trend prints the runs oldest first and names the run where a change began") {
  const std::string text = TrendText("shop", Sample(), TrendOptions());
  CHECK(text ==
        "trend of shop: 6 runs (passed or failed), oldest first; 1 skipped (aborted, error, "
        "running or interrupted)\n"
        "RUN                        STARTED               STATUS          P50        P95        "
        "P99   ERRORS\n"
        "r-0                        2026-01-01T00:00:00Z  passed       5.00ms    10.00ms    "
        "15.00ms    0.00%\n"
        "r-1                        2026-01-01T00:01:00Z  passed       5.00ms    10.00ms    "
        "15.00ms    0.00%\n"
        "r-2                        2026-01-01T00:02:00Z  passed       5.00ms    10.00ms    "
        "15.00ms    0.00%\n"
        "r-3                        2026-01-01T00:03:00Z  passed       5.00ms    10.00ms    "
        "15.00ms    0.00%\n"
        "r-4                        2026-01-01T00:04:00Z  passed      15.00ms    30.00ms    "
        "45.00ms    2.00%  <- change: p95, error_rate\n"
        "r-5                        2026-01-01T00:05:00Z  failed      15.00ms    30.00ms    "
        "45.00ms    2.00%\n"
        "change points:\n"
        "  r-4 (run 5 of 6): p95 10.00ms -> 30.00ms (+200.0%), errors 0.00% -> 2.00% (+2.00 "
        "points)\n");
}

TEST_CASE("barrage trend says when there are not enough runs, or no change") {
  TrendReport r = Sample();
  r.changes.clear();
  CHECK_THAT(TrendText("shop", r, TrendOptions()), ContainsSubstring("\nno change points\n"));
  r.runs.resize(4);
  r.enough_runs = false;
  CHECK_THAT(TrendText("shop", r, TrendOptions()),
             ContainsSubstring("\nnot enough runs to look for changes: 4 (at least 6)\n"));
}

TEST_CASE("barrage trend --format json has every run and change") {
  absl::StatusOr<result_doc::Struct> doc =
      result_doc::ParseResultJson(TrendJson("shop", Sample(), TrendOptions()));
  REQUIRE(doc.ok());
  CHECK(result_doc::Str(*doc, "scenario") == "shop");
  const std::vector<const result_doc::Struct*> runs = result_doc::List(*doc, "runs");
  REQUIRE(runs.size() == 6);
  CHECK(result_doc::Str(*runs[4], "run") == "r-4");
  CHECK(result_doc::Num(*runs[4], "p95_ms") == 30);
  CHECK(result_doc::Field(*runs[4], "change_point").bool_value());
  CHECK_FALSE(result_doc::Field(*runs[3], "change_point").bool_value());
  CHECK(result_doc::Num(*doc, "skipped") == 1);
  const std::vector<const result_doc::Struct*> changes = result_doc::List(*doc, "changes");
  REQUIRE(changes.size() == 2);
  CHECK(result_doc::Str(*changes[0], "metric") == "p95");
  CHECK(result_doc::Str(*changes[1], "metric") == "error_rate");
  CHECK(result_doc::Num(*changes[1], "after") == 0.02);
}

TEST_CASE("barrage trend wants one scenario name and a known format") {
  std::ostringstream out, err;
  CHECK(RunCli({"barrage", "trend"}, out, err) == kExitUsage);
  CHECK_THAT(err.str(), ContainsSubstring("give one scenario name"));
  err.str("");
  CHECK(RunCli({"barrage", "trend", "shop", "--format", "xml"}, out, err) == kExitUsage);
  CHECK_THAT(err.str(), ContainsSubstring("--format: 'xml' is not text or json"));
  err.str("");
  CHECK(RunCli({"barrage", "trend", "shop", "--last", "0"}, out, err) == kExitUsage);
}

}  // namespace
}  // namespace barrage
