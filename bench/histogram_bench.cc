// Copyright 2026 The Barrage Authors.
//
// Costs of the histogram operations on a realistic one-second interval: one
// agent's latencies at 10,000 requests/s, lognormal around 20 ms.
//
//   build/bench/histogram_bench
//
// Targets (issue "Foundation"): Record <= 5 ns per value.

#include <benchmark/benchmark.h>

#include "common/stats/histogram.h"
#include "common/stats/histogram_codec.h"
#include "tests/support/sample_distributions.h"

namespace barrage {
namespace {

constexpr size_t kIntervalSamples = 10'000;

const std::vector<uint64_t>& IntervalValues() {
  static const auto* values = new std::vector<uint64_t>(testing::Samples(
      testing::Shape::kLognormal, kIntervalSamples, 1));
  return *values;
}

Histogram IntervalHistogram(uint64_t seed) {
  Histogram h;
  for (uint64_t v :
       testing::Samples(testing::Shape::kLognormal, kIntervalSamples, seed)) {
    h.Record(v);
  }
  return h;
}

void BM_Record(benchmark::State& state) {
  const std::vector<uint64_t>& values = IntervalValues();
  Histogram h;
  size_t i = 0;
  for (auto _ : state) {
    h.Record(values[i]);
    if (++i == values.size()) i = 0;
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Record);

void BM_MergeInterval(benchmark::State& state) {
  const Histogram interval = IntervalHistogram(2);
  Histogram total;
  for (auto _ : state) {
    benchmark::DoNotOptimize(total.Merge(interval));
  }
}
BENCHMARK(BM_MergeInterval);

void BM_FiveQuantiles(benchmark::State& state) {
  const Histogram interval = IntervalHistogram(2);
  for (auto _ : state) {
    for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
      benchmark::DoNotOptimize(interval.Quantile(q));
    }
  }
}
BENCHMARK(BM_FiveQuantiles);

void BM_Encode(benchmark::State& state) {
  const Histogram interval = IntervalHistogram(2);
  v1::HistogramSnapshot s;
  for (auto _ : state) {
    EncodeHistogram(interval, &s);
    benchmark::DoNotOptimize(s.counts_size());
  }
  state.counters["wire_bytes"] = static_cast<double>(s.ByteSizeLong());
  state.counters["entries"] = static_cast<double>(s.counts_size());
}
BENCHMARK(BM_Encode);

void BM_DecodeMerge(benchmark::State& state) {
  v1::HistogramSnapshot s;
  EncodeHistogram(IntervalHistogram(2), &s);
  Histogram total;
  for (auto _ : state) {
    benchmark::DoNotOptimize(MergeSnapshot(s, total));
  }
}
BENCHMARK(BM_DecodeMerge);

void BM_Downsample(benchmark::State& state) {
  const Histogram interval = IntervalHistogram(2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(interval.Downsample().count());
  }
}
BENCHMARK(BM_Downsample);

}  // namespace
}  // namespace barrage

BENCHMARK_MAIN();
