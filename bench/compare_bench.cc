// Copyright 2026 The Barrage Authors.
//
// barrage compare's cost: two synthetic 1-hour runs of 20 requests at
// 200 results/s (720,000 results each; 72,000 interval histograms), compared
// with the default options (2,000 resamples per run). Target: under 5 s on
// one core. Run: build/bench/compare_bench

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "controller/report/compare.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

testing::SyntheticRunOptions Hour(uint64_t seed, double shift) {
  testing::SyntheticRunOptions o;
  o.seed = seed;
  o.duration_s = 3600;
  o.rate_rps = 200;
  o.shift = shift;
  for (int i = 0; i < 20; ++i) o.requests.push_back("request-" + std::to_string(i));
  return o;
}

void BM_CompareHourOf20Requests(benchmark::State& state) {
  const std::string base = testing::SyntheticRunJson(Hour(1, 1.0));
  const std::string cur = testing::SyntheticRunJson(Hour(2, 1.03));
  CompareOptions options;
  options.resamples = static_cast<int>(state.range(0));
  for (auto _ : state) {
    absl::StatusOr<CompareReport> report = Compare(base, cur, options);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(report->verdict);
  }
}
BENCHMARK(BM_CompareHourOf20Requests)->Arg(2000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace barrage

BENCHMARK_MAIN();
