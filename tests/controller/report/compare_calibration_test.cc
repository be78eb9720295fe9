// Copyright 2026 The Barrage Authors.
//
// Calibration of compare's verdicts over seeded pairs of synthetic runs
// (tests/support/synthetic_run.h): 60 s at 100/s of one request, lognormal
// response times (median 50 ms, sigma 0.3), B = 400 resamples per run so
// the file stays fast.

#include <catch2/catch_test_macros.hpp>

#include "controller/report/compare.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using testing::SyntheticRunJson;
using testing::SyntheticRunOptions;

constexpr int kPairs = 40;

SyntheticRunOptions Run(uint64_t seed, double shift) {
  SyntheticRunOptions o;
  o.seed = seed;
  o.duration_s = 60;
  o.rate_rps = 100;
  o.median_ms = 50;
  o.sigma = 0.3;
  o.shift = shift;
  return o;
}

CompareOptions Options(uint64_t seed) {
  CompareOptions o;
  o.resamples = 400;
  o.seed = seed;
  return o;
}

const MetricComparison& P95(const CompareReport& r) {
  for (const MetricComparison& m : r.metrics) {
    if (m.metric == CompareMetric::kP95 && m.request.empty()) return m;
  }
  FAIL("no p95");
  return r.metrics.front();
}

// With no tolerance at all (0 for every metric, no floor) a false REGRESSED
// is a family-wise interval miss: Holm keeps it at a / 2 = 2.5% in theory.
TEST_CASE("same-configuration pairs rarely compare REGRESSED, even at zero tolerance") {
  int regressed_zero = 0, regressed_default = 0;
  for (int i = 0; i < kPairs; ++i) {
    const std::string a = SyntheticRunJson(Run(2 * i + 1, 1.0));
    const std::string b = SyntheticRunJson(Run(2 * i + 2, 1.0));
    CompareOptions zero = Options(i);
    zero.tolerance = {0, 0, 0, 0, 0};
    zero.floor_us = 0;
    absl::StatusOr<CompareReport> r = Compare(a, b, zero);
    REQUIRE(r.ok());
    if (r->verdict == Verdict::kRegressed) ++regressed_zero;
    r = Compare(a, b, Options(i));
    REQUIRE(r.ok());
    if (r->verdict == Verdict::kRegressed) ++regressed_default;
  }
  INFO("zero tolerance: " << regressed_zero << " of " << kPairs << " pairs REGRESSED; defaults: "
                          << regressed_default);
  CHECK(regressed_zero <= kPairs * 5 / 100);  // <= 5%
  CHECK(regressed_default == 0);
}

// The p95 tolerance is 2%, so a 10% shift is 8 points beyond it: the test
// asks whether ~6,000 samples a run find a real, moderate regression.
TEST_CASE("a 10% p95 shift in 60 s runs at 100/s is found REGRESSED in at least 95% of pairs") {
  int found = 0;
  for (int i = 0; i < kPairs; ++i) {
    CompareOptions o = Options(i);
    absl::StatusOr<std::array<double, kCompareMetricCount>> t =
        ParseTolerances("p95=2%", o.tolerance);
    REQUIRE(t.ok());
    o.tolerance = *t;
    absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(Run(2 * i + 1, 1.0)),
                                              SyntheticRunJson(Run(2 * i + 2, 1.1)), o);
    REQUIRE(r.ok());
    if (P95(*r).verdict == Verdict::kRegressed) ++found;
    CHECK(CompareExitCode(*r) == (r->verdict == Verdict::kRegressed ? 99 : r->verdict == Verdict::kInconclusive ? 98 : 0));
  }
  INFO(found << " of " << kPairs << " pairs found the p95 REGRESSED");
  CHECK(found >= kPairs * 95 / 100);
}

}  // namespace
}  // namespace barrage
