// Copyright 2026 The Barrage Authors.

#include "controller/report/bootstrap.h"

#include <cmath>
#include <numeric>
#include <random>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using testing::SyntheticRunOptions;
using testing::SyntheticSeries;

TEST_CASE("a resampler's statistics are the merged histograms' quantiles") {
  SyntheticRunOptions o;
  o.requests = {"a", "b", "c"};
  o.duration_s = 40;
  o.error_rate = 0.05;
  const RunSeries s = SyntheticSeries(o);
  for (double skip : {0.0, 15.0}) {
    const SeriesResampler run(s, skip);
    CHECK(run.intervals() == static_cast<size_t>(40 - skip));
    CHECK(run.duration_s() == 40 - skip);
    const std::vector<GroupStats> stats = run.Stats();
    REQUIRE(stats.size() == 4);
    SparseHistogram all;
    uint64_t requests = 0, errors = 0;
    for (size_t r = 0; r < 3; ++r) {
      SparseHistogram one;
      uint64_t n = 0, e = 0;
      for (const SeriesInterval& in : s.intervals) {
        if (in.start_s < skip) continue;
        one.Merge(in.requests[r].ok);
        n += in.requests[r].requests();
        e += in.requests[r].errors();
      }
      all.Merge(one);
      requests += n;
      errors += e;
      CHECK(stats[1 + r].ok == one.count());
      CHECK(stats[1 + r].p50_us == one.Quantile(0.5));
      CHECK(stats[1 + r].p95_us == one.Quantile(0.95));
      CHECK(stats[1 + r].p99_us == one.Quantile(0.99));
      CHECK(stats[1 + r].requests == n);
      CHECK(stats[1 + r].errors == e);
    }
    CHECK(stats[0].p50_us == all.Quantile(0.5));
    CHECK(stats[0].p95_us == all.Quantile(0.95));
    CHECK(stats[0].p99_us == all.Quantile(0.99));
    CHECK(stats[0].requests == requests);
    CHECK(stats[0].error_rate == static_cast<double>(errors) / static_cast<double>(requests));
    CHECK(std::abs(stats[0].achieved_rps * run.duration_s() - static_cast<double>(requests)) < 1e-6);
  }
}

TEST_CASE("an interval drawn twice counts twice in the merge") {
  SyntheticRunOptions o;
  o.duration_s = 2;
  const RunSeries s = SyntheticSeries(o);
  const SeriesResampler run(s, 0);
  SparseHistogram twice = s.intervals[1].requests[0].ok;
  twice.Merge(s.intervals[1].requests[0].ok);
  const std::vector<GroupStats> stats = run.Weighted({0, 2});
  CHECK(stats[0].ok == twice.count());
  CHECK(stats[0].p95_us == twice.Quantile(0.95));
  CHECK(stats[0].achieved_rps == s.intervals[1].achieved_rps);
}

TEST_CASE("moving-block weights cover whole blocks and sum to the run's length") {
  std::mt19937_64 rng(7);
  std::vector<uint32_t> w;
  SECTION("a run shorter than a block is drawn whole") {
    MovingBlockWeights(5, 10, rng, w);
    CHECK(w == std::vector<uint32_t>(5, 1));
  }
  SECTION("blocks of 10 in 95 intervals") {
    for (int i = 0; i < 50; ++i) {
      MovingBlockWeights(95, 10, rng, w);
      CHECK(std::accumulate(w.begin(), w.end(), 0u) == 95u);
    }
  }
  SECTION("the same seed draws the same blocks") {
    std::mt19937_64 a(3), b(3);
    std::vector<uint32_t> wa, wb;
    MovingBlockWeights(60, 10, a, wa);
    MovingBlockWeights(60, 10, b, wb);
    CHECK(wa == wb);
  }
}

TEST_CASE("the percentile interval takes the documented order statistics") {
  std::vector<double> v(100);
  for (int i = 0; i < 100; ++i) v[static_cast<size_t>(i)] = 100 - i;  // 100..1, unsorted
  const PercentileBounds b = PercentileInterval(v, 0.9);
  CHECK(b.lo == 6);   // index floor(0.05 * 100) = 5
  CHECK(b.hi == 95);  // index ceil(0.95 * 100) - 1 = 94
  const PercentileBounds all = PercentileInterval(v, 0.9999);
  CHECK(all.lo == 1);
  CHECK(all.hi == 100);
  CHECK(PercentileInterval({}, 0.95).lo == 0);
}

TEST_CASE("the bootstrap interval of a lognormal p95 covers the truth about 95% of the time") {
  // 60 s at 100/s of lognormal(20 ms, 0.5): p95 = 20 ms * exp(1.645 * 0.5).
  const double truth = 20'000 * std::exp(1.6448536 * 0.5);
  int covered = 0;
  const int kSeeds = 40;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    SyntheticRunOptions o;
    o.seed = static_cast<uint64_t>(seed);
    o.sigma = 0.5;
    const SeriesResampler run(SyntheticSeries(o), 0);
    std::mt19937_64 rng(1000 + seed);
    std::vector<double> p95;
    for (int b = 0; b < 400; ++b) p95.push_back(run.Resample(10, rng)[0].p95_us);
    const PercentileBounds ci = PercentileInterval(p95, 0.95);
    if (ci.lo <= truth && truth <= ci.hi) ++covered;
  }
  INFO("covered " << covered << " of " << kSeeds);
  // Seeded, so deterministic; at a true 95%, Binomial(40, 0.95) is 34 or fewer
  // with probability 1.4%, and a clearly narrow interval (say 85%) falls below.
  CHECK(covered >= 35);
}

}  // namespace
}  // namespace barrage
