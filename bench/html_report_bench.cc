// Copyright 2026 The Barrage Authors.
//
// The HTML report of a 1-hour, 20-request run (the seeded report fixture:
// 3,600 intervals x 20 requests, 72,000 interval histograms), from its result
// JSON text to the page: parsing the JSON and the series is part of the time.
//
//   build/bench/html_report_bench
//
// Targets (issue 12): under 2 s per report; the page at most 5 MB (the
// "html_bytes" and "json_bytes" counters).

#include <benchmark/benchmark.h>

#include "controller/report/html_report.h"
#include "tests/support/report_fixture.h"

namespace barrage {
namespace {

const std::string& HourJson() {
  static const auto* json = [] {
    testing::ReportFixtureOptions o;
    o.requests = 20;
    o.seconds = 3600;
    o.samples_per_second = 25;  // 500-1000 ok results/s across the requests
    o.stage_s = {1800, 1800};
    o.burst_from_s = 2400;
    o.burst_to_s = 2460;
    return new std::string(testing::ReportFixtureJson(o));
  }();
  return *json;
}

void BM_HtmlReportHour(benchmark::State& state) {
  const std::string& json = HourJson();
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> html = HtmlReport(json, {});
    if (!html.ok()) {
      state.SkipWithError(std::string(html.status().message()).c_str());
      return;
    }
    bytes = html->size();
    benchmark::DoNotOptimize(html->data());
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
  state.counters["json_bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_HtmlReportHour)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace barrage

BENCHMARK_MAIN();
